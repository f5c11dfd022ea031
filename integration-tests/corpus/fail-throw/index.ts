throw new Error("the program failed on purpose");
