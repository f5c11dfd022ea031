// Async generators that wait between values.
async function* ticks(count: number, ms: number) {
    for (let i = 0; i < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, ms));
        yield `${ms}ms#${i}`;
    }
}
const collected: string[] = [];
export async function step(n: number) {
    for await (const tick of ticks(n, 3)) {
        collected.push(tick);
    }
}
export function dump() {
    return collected;
}
