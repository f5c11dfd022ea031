// The clock, read directly and across timers.
const seen: unknown[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export async function step(n: number) {
    const before = Date.now();
    await sleep(10 * n);
    seen.push([n, Date.now() - before, new Date().toISOString(), Math.round(performance.now()), String(new Date(0))]);
}
export function dump() {
    return seen;
}
