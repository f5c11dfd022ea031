// The `readline` built-in, written for Unfold: line reading over a readable stream (`line` events,
// async iteration). Programs have no terminal, so the prompting parts do nothing.
import EventEmitter from "./events.ts";

class Interface extends EventEmitter {
    terminal = false;
    line = "";
    closed = false;
    private pending = "";

    constructor(options: { input?: any; crlfDelay?: number } | any) {
        super();
        const input = options?.input ?? options;
        if (input && typeof input.on === "function") {
            input.on("data", (chunk: unknown) => this.feed(String(chunk)));
            input.on("end", () => this.close());
            input.resume?.();
        }
    }

    private feed(text: string): void {
        const parts = (this.pending + text).split(/\r?\n/);
        this.pending = parts.pop() ?? "";
        for (const line of parts) this.emit("line", line);
    }

    close(): void {
        if (this.closed) return;
        if (this.pending) this.emit("line", this.pending);
        this.pending = "";
        this.closed = true;
        this.emit("close");
    }

    setPrompt(): void {}
    prompt(): void {}
    pause(): this {
        return this;
    }
    resume(): this {
        return this;
    }
    write(): void {}
    question(_query: string, callback: (answer: string) => void): void {
        queueMicrotask(() => callback(""));
    }

    async *[Symbol.asyncIterator](): AsyncGenerator<string> {
        const lines: string[] = [];
        let wake: (() => void) | null = null;
        this.on("line", (line: string) => {
            lines.push(line);
            wake?.();
        });
        this.on("close", () => wake?.());
        while (true) {
            if (lines.length > 0) {
                yield lines.shift()!;
                continue;
            }
            if (this.closed) return;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
        }
    }
}

function createInterface(options: unknown): Interface {
    return new Interface(options);
}

const readline = {
    Interface,
    createInterface,
    clearLine: () => true,
    clearScreenDown: () => true,
    cursorTo: () => true,
    moveCursor: () => true,
    emitKeypressEvents(): void {},
};

export default readline;
export { Interface, createInterface };
