// Runs a given sequence of operations; the tests generate random sequences.
const trace: unknown[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export async function run(ops: string[]) {
    for (const op of ops) {
        const [kind, arg] = op.split(":");
        switch (kind) {
            case "random": trace.push(Math.random()); break;
            case "now": trace.push(Date.now()); break;
            case "sleep": await sleep(Number(arg)); trace.push(`slept ${arg}`); break;
            case "race": trace.push(await Promise.race([sleep(Number(arg)).then(() => "a"), sleep(7).then(() => "b")])); break;
            case "log": console.log(`op ${trace.length}`); break;
            case "uuid": trace.push(crypto.randomUUID()); break;
            default: throw new Error(`unknown op ${op}`);
        }
    }
}
export function dump() {
    return trace;
}
