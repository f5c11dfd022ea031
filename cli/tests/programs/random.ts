// Randomness from every source a program can reach.
const drawn: unknown[] = [];
export function step(n: number) {
    drawn.push([n, Math.random(), Array.from(crypto.getRandomValues(new Uint8Array(6))), crypto.randomUUID()]);
}
export function dump() {
    return drawn;
}
