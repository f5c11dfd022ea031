// Types and blank lines before the throw: the emitted code has the throw on another line.
interface Limits {
    max: number;
}

const limits: Limits = { max: 1 };

export function check(count: number): void {
    if (count > limits.max) {
        throw new RangeError(`count ${count} is over the limit of ${limits.max}`);
    }
}
