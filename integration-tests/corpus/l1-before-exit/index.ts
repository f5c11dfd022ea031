import { Resource } from "../shared/resources";

// SDKs register resources once the program's work is done, from `beforeExit`
// (@pulumi/aws adds a bucket's notifications there). Work started in one round
// brings another round; the run ends after a round that starts nothing.
let rounds = 0;
process.on("beforeExit", () => {
    rounds++;
    if (rounds === 1) {
        new Resource("late", { value: "registered before exit" });
    } else if (rounds === 2) {
        new Resource("later", { value: "registered in the next round" });
    }
});

export const early = new Resource("early", { value: "registered at load" }).value;
