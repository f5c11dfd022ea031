// The `domain` built-in (deprecated in Node.js), written for Unfold: a Domain routes the errors
// of the functions it runs, binds or intercepts to its 'error' event.
import EventEmitter from "./events.ts";

let active: Domain | null = null;

class Domain extends EventEmitter {
    members: unknown[] = [];

    add(emitter: unknown): void {
        if (!this.members.includes(emitter)) this.members.push(emitter);
    }

    remove(emitter: unknown): void {
        this.members = this.members.filter((member) => member !== emitter);
    }

    enter(): void {
        active = this;
    }

    exit(): void {
        if (active === this) active = null;
    }

    run<T>(fn: (...args: any[]) => T, ...args: unknown[]): T | undefined {
        this.enter();
        try {
            return fn.apply(this, args);
        } catch (error) {
            this.report(error);
            return undefined;
        } finally {
            this.exit();
        }
    }

    bind<F extends (...args: any[]) => any>(fn: F): F {
        const domain = this;
        return function (this: unknown, ...args: unknown[]) {
            return domain.run(() => fn.apply(this, args));
        } as F;
    }

    intercept<F extends (...args: any[]) => any>(fn: F): F {
        const domain = this;
        return function (this: unknown, error: unknown, ...args: unknown[]) {
            if (error) {
                domain.report(error);
                return undefined;
            }
            return domain.run(() => fn.apply(this, args));
        } as F;
    }

    dispose(): void {
        this.exit();
        this.members = [];
    }

    private report(error: unknown): void {
        if (error && typeof error === "object") {
            Object.assign(error, { domain: this, domainThrown: true });
        }
        if (this.listenerCount("error") === 0) throw error;
        this.emit("error", error);
    }
}

function create(): Domain {
    return new Domain();
}

const domain = {
    Domain,
    create,
    createDomain: create,
    get active(): Domain | null {
        return active;
    },
};

export default domain;
export { Domain, create, create as createDomain };
