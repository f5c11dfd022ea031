// `main` points at a folder; its index.ts is the program.
export const where = "src/index.ts";
