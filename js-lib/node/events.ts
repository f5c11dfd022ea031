// The `events` built-in: the npm package `events` 3.3.0 (MIT), Node.js's EventEmitter for other
// runtimes, vendored in ./vendor/events.
import EventEmitter from "./vendor/events/events.js";

export default EventEmitter;
export { EventEmitter };
export const once = (EventEmitter as any).once;
export const defaultMaxListeners = (EventEmitter as any).defaultMaxListeners;
export function on(): never {
    throw new Error("events.on (async iteration of events) is not provided by Unfold");
}
