// Promise.race and Promise.all between operations of different latency.
const results: unknown[] = [];
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
export async function step(n: number) {
    const fast = after(5 + n, "fast");
    const slow = after(20, "slow");
    results.push(await Promise.race([slow, fast]));
    results.push(await Promise.all([after(3, n), slow, Promise.resolve("now")]));
    results.push(await Promise.any([after(12, "twelve"), after(4 * n, `four-times-${n}`)]));
}
export function dump() {
    return results;
}
