// HttpApi: routes HTTP requests to Functions. A plain handler given to `route` becomes a
// Function of its own.

import { CustomResource, type CustomResourceOptions, type Resource } from "../pulumi/resource.ts";
import type { Output } from "../pulumi/output.ts";
import { programLoaded } from "../unfold/program.ts";
import { cloudContext } from "./context.ts";
import { Function, type FunctionOptions } from "./function.ts";
import type { Handler } from "./http.ts";
import { checkName } from "./names.ts";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** Which web origins may call an HttpApi from a browser. */
export interface CorsOptions {
    /** Origins (`https://app.example.com`, scheme://host[:port]), or `"*"` for any. */
    allowOrigins: string[];
    /** Request headers a page may send (default: content-type). */
    allowHeaders?: string[];
    /** Seconds a browser may cache a preflight's answer. */
    maxAge?: number;
}

interface Route {
    method: string;
    path: string;
    target: Function;
}

/** An HTTP endpoint whose routes run Functions. */
/** Every HttpApi of the program by name, for whole-app tests to call (`@unfold/test`). */
const apis = new Map<string, Route[]>();

/** What answers `method path` on API `api`: the route's Function and its path parameters. */
export function findRoute(api: string, method: string, path: string): { target: Function; params: Record<string, string> } | { status: number; error: string } {
    const routes = apis.get(api);
    if (routes === undefined) {
        return { status: 404, error: `no API named '${api}'` };
    }
    const segments = path.split("/").slice(1);
    let methodNotAllowed = false;
    for (const route of routes) {
        const pattern = route.path.split("/").slice(1);
        if (pattern.length !== segments.length) {
            continue;
        }
        const params: Record<string, string> = {};
        const matches = pattern.every((part, index) => {
            if (part.startsWith("{")) {
                params[part.slice(1, -1)] = decodeURIComponent(segments[index]!);
                return segments[index] !== "";
            }
            return part === segments[index];
        });
        if (!matches) {
            continue;
        }
        if (route.method === method) {
            return { target: route.target, params };
        }
        methodNotAllowed = true;
    }
    return methodNotAllowed
        ? { status: 405, error: `${method} is not allowed on ${path}` }
        : { status: 404, error: `no route for ${method} ${path} in API '${api}'` };
}

export class HttpApi extends CustomResource {
    /** The API's base URL; route paths are below it. */
    declare readonly url: Output<string>;
    private readonly apiName: string;
    private readonly routes: Route[];
    private readonly declared: { cors?: CorsOptions };
    private sealed = false;

    constructor(name: string, opts: CustomResourceOptions = {}) {
        checkName("HttpApi", name);
        const context = cloudContext();
        const routes: Route[] = [];
        const declared: { cors?: CorsOptions } = {};
        // Routes are added after construction, while the program's top-level code runs.
        const ready = programLoaded.then(() => routes);
        super(
            "unfold:index:HttpApi",
            name,
            {
                name,
                stateDir: context.stateDir,
                routes: ready.then((all) => all.map((r) => ({ method: r.method, path: r.path, function: r.target.functionName }))),
                corsConfiguration: ready.then(() => declared.cors),
                url: undefined,
            },
            { version: context.version, ...opts, dependsOn: withRouteTargets(opts.dependsOn, ready) },
        );
        this.apiName = name;
        this.routes = routes;
        apis.set(name, routes);
        this.declared = declared;
        void programLoaded.then(() => {
            this.sealed = true;
        });
    }

    /**
     * Routes `method` requests for `path` (e.g. `/messages/{id}`; `{name}` segments become
     * `request.params.name`) to a Function, or to a handler that becomes a Function.
     */
    /**
     * Lets web pages of `options.allowOrigins` call this API from a browser. Without it the
     * local target refuses state-changing requests from web pages (a defence against
     * cross-site requests and DNS rebinding).
     */
    cors(options: CorsOptions): this {
        if (this.sealed) {
            throw new Error(`HttpApi '${this.apiName}': declare CORS in the program's top-level code, before it finishes loading`);
        }
        if (!options || !Array.isArray(options.allowOrigins) || options.allowOrigins.length === 0) {
            throw new TypeError(`HttpApi '${this.apiName}': cors() needs allowOrigins, a list of origins like "https://app.example.com" (or "*")`);
        }
        this.declared.cors = { ...options };
        return this;
    }

    /**
     * Serves `method path` with `target`: a Function, or a handler that becomes one, deployed with
     * `options`.
     */
    route(method: string, path: string, target: Function | Handler, options?: FunctionOptions): this {
        const verb = String(method).toUpperCase();
        if (!METHODS.includes(verb)) {
            throw new TypeError(`HttpApi '${this.apiName}': unknown method '${method}'; use one of ${METHODS.join(", ")}`);
        }
        checkPath(this.apiName, path);
        if (this.sealed) {
            throw new Error(`HttpApi '${this.apiName}': add routes in the program's top-level code, before it finishes loading`);
        }
        if (this.routes.some((r) => r.method === verb && r.path === path)) {
            throw new Error(`HttpApi '${this.apiName}' already has a route for ${verb} ${path}`);
        }
        if (target instanceof Function && options !== undefined) {
            throw new TypeError(`HttpApi '${this.apiName}': ${verb} ${path} routes to Function '${target.functionName}', whose options are its own: pass them to new Function(...)`);
        }
        // Not parented to the API: the API waits for its routes' Functions, which would wait for it.
        const fn = target instanceof Function ? target : new Function(routeFunctionName(this.apiName, verb, path), target, options);
        this.routes.push({ method: verb, path, target: fn });
        return this;
    }
}

function checkPath(api: string, path: string): void {
    const segments = typeof path === "string" && path.startsWith("/") ? path.split("/").slice(1) : undefined;
    const valid = segments?.every((s) => /^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(s) || /^[^{}]*$/.test(s));
    if (!valid) {
        throw new TypeError(`HttpApi '${api}': route path ${JSON.stringify(path)} must start with '/' and use whole-segment parameters like /items/{id}`);
    }
}

function routeFunctionName(api: string, method: string, path: string): string {
    const slug = path.replace(/[{}]/g, "").split("/").filter((s) => s !== "").join("-").replace(/[^A-Za-z0-9_-]/g, "_");
    return [api, method.toLowerCase(), slug].filter((s) => s !== "").join("-").slice(0, 128);
}

async function withRouteTargets(dependsOn: CustomResourceOptions["dependsOn"], ready: Promise<Route[]>): Promise<Resource[]> {
    const routes = await ready;
    const given = await dependsOn;
    const explicit = (Array.isArray(given) ? await Promise.all(given) : given === undefined ? [] : [given]) as Resource[];
    return [...explicit, ...routes.map((r) => r.target)];
}
