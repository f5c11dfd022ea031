// When the program's entry module has been evaluated: the point where its top-level code has
// created every resource it creates directly (Functions, routes), as opposed to later, in
// callbacks.

let markLoaded!: () => void;

/** Settles once the entry module has been evaluated (and its top-level awaits finished). */
export const programLoaded: Promise<void> = new Promise((resolve) => {
    markLoaded = resolve;
});

/** Called by the run bootstrap once the entry module has been evaluated. */
export function markProgramLoaded(): void {
    markLoaded();
}
