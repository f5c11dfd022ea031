// The `diagnostics_channel` built-in, written for Unfold: named channels that code publishes to
// and tools subscribe to. Nothing subscribes unless the program does, so publishing costs a check.

type Listener = (message: unknown, name: string | symbol) => void;

class Channel {
    private subscribers: Listener[] = [];
    constructor(readonly name: string | symbol) {}

    get hasSubscribers(): boolean {
        return this.subscribers.length > 0;
    }

    subscribe(listener: Listener): void {
        if (typeof listener !== "function") {
            throw Object.assign(new TypeError('The "subscription" argument must be of type function'), { code: "ERR_INVALID_ARG_TYPE" });
        }
        this.subscribers.push(listener);
    }

    unsubscribe(listener: Listener): boolean {
        const index = this.subscribers.indexOf(listener);
        if (index < 0) return false;
        this.subscribers.splice(index, 1);
        return true;
    }

    publish(message: unknown): void {
        for (const listener of [...this.subscribers]) {
            try {
                listener(message, this.name);
            } catch (error) {
                // A failing subscriber must not break the publisher: report it afterwards, as Node.js does.
                queueMicrotask(() => {
                    throw error;
                });
            }
        }
    }

    bindStore(): void {}

    unbindStore(): boolean {
        return false;
    }

    runStores<T>(message: unknown, fn: (...args: any[]) => T, thisArg?: unknown, ...args: unknown[]): T {
        this.publish(message);
        return fn.apply(thisArg, args);
    }
}

const channels = new Map<string | symbol, Channel>();

function channel(name: string | symbol): Channel {
    if (typeof name !== "string" && typeof name !== "symbol") {
        throw Object.assign(new TypeError('The "channel" argument must be of type string or symbol'), { code: "ERR_INVALID_ARG_TYPE" });
    }
    let found = channels.get(name);
    if (!found) {
        found = new Channel(name);
        channels.set(name, found);
    }
    return found;
}

function hasSubscribers(name: string | symbol): boolean {
    return channels.get(name)?.hasSubscribers ?? false;
}

function subscribe(name: string | symbol, listener: Listener): void {
    channel(name).subscribe(listener);
}

function unsubscribe(name: string | symbol, listener: Listener): boolean {
    return channels.get(name)?.unsubscribe(listener) ?? false;
}

const events = ["start", "end", "asyncStart", "asyncEnd", "error"] as const;
type TracingEvent = (typeof events)[number];

class TracingChannel {
    start!: Channel;
    end!: Channel;
    asyncStart!: Channel;
    asyncEnd!: Channel;
    error!: Channel;

    constructor(nameOrChannels: string | Partial<Record<TracingEvent, Channel>>) {
        for (const event of events) {
            (this as any)[event] =
                typeof nameOrChannels === "string" ? channel(`tracing:${nameOrChannels}:${event}`) : nameOrChannels[event] ?? channel(Symbol(event));
        }
    }

    get hasSubscribers(): boolean {
        return events.some((event) => this[event].hasSubscribers);
    }

    subscribe(handlers: Partial<Record<TracingEvent, Listener>>): void {
        for (const event of events) if (handlers[event]) this[event].subscribe(handlers[event]!);
    }

    unsubscribe(handlers: Partial<Record<TracingEvent, Listener>>): boolean {
        let all = true;
        for (const event of events) if (handlers[event] && !this[event].unsubscribe(handlers[event]!)) all = false;
        return all;
    }

    traceSync<T>(fn: (...args: any[]) => T, context: any = {}, thisArg?: unknown, ...args: unknown[]): T {
        this.start.publish(context);
        try {
            const result = fn.apply(thisArg, args);
            context.result = result;
            return result;
        } catch (error) {
            context.error = error;
            this.error.publish(context);
            throw error;
        } finally {
            this.end.publish(context);
        }
    }

    tracePromise<T>(fn: (...args: any[]) => Promise<T>, context: any = {}, thisArg?: unknown, ...args: unknown[]): Promise<T> {
        this.start.publish(context);
        try {
            const promise = Promise.resolve(fn.apply(thisArg, args));
            return promise.then(
                (result) => {
                    context.result = result;
                    this.asyncStart.publish(context);
                    this.asyncEnd.publish(context);
                    return result;
                },
                (error) => {
                    context.error = error;
                    this.error.publish(context);
                    this.asyncStart.publish(context);
                    this.asyncEnd.publish(context);
                    throw error;
                },
            );
        } catch (error) {
            context.error = error;
            this.error.publish(context);
            throw error;
        } finally {
            this.end.publish(context);
        }
    }

    traceCallback<T>(fn: (...args: any[]) => T, position = -1, context: any = {}, thisArg?: unknown, ...args: any[]): T {
        const index = position < 0 ? args.length + position : position;
        const callback = args[index];
        args[index] = (error: unknown, result: unknown) => {
            if (error) {
                context.error = error;
                this.error.publish(context);
            } else {
                context.result = result;
            }
            this.asyncStart.publish(context);
            try {
                return callback.call(this, error, result);
            } finally {
                this.asyncEnd.publish(context);
            }
        };
        return this.traceSync(fn, context, thisArg, ...args);
    }
}

function tracingChannel(nameOrChannels: string | Partial<Record<TracingEvent, Channel>>): TracingChannel {
    return new TracingChannel(nameOrChannels);
}

export default { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel };
export { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel };
