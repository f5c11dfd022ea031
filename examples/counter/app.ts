// A counter whose state survives hibernation: run it, call `incr` a few times, save a snapshot,
// and resume it in another process — the count carries on, and nothing is printed twice.
//
//   unfold run examples/counter/app.ts --call incr --call incr --call incr --save counter.snapshot
//   unfold resume counter.snapshot --call incr --call incr --call incr

// A host object captured before any snapshot: it must still work after a restore.
const log = console.log;

class Tally {
    history: number[] = [];
    constructor(readonly label: string) {}
    record(value: number): void {
        this.history.push(value);
    }
}

class CountingTally extends Tally {
    get total(): number {
        return this.history.length;
    }
}

const tally = new CountingTally("incr");
const seen = new Map<number, string>();
let counter = 0;

function makeIncrement(step: number) {
    return () => {
        log(`Incrementing counter from ${counter} to ${counter + step}`);
        counter += step;
        tally.record(counter);
        seen.set(counter, `call ${tally.total}`);
        return counter;
    };
}

const increment = makeIncrement(1);

export function incr(): number {
    return increment();
}

// A promise created at load time and settled only by a later call.
let release: (value: string) => void = () => {};
const pending = new Promise<string>((resolve) => (release = resolve));

export function settle(value: string): void {
    release(value);
}

export async function pendingValue(): Promise<string> {
    return pending;
}

export function state() {
    return { counter, history: tally.history, seen: [...seen], label: tally.label, total: tally.total };
}
