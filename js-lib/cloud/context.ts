// Where this stack's local target keeps its state, as the host says (a recorded crossing, so a
// restored Function sees what the deployment saw).

import { call } from "../unfold/io.ts";

export interface CloudContext {
    /** The local target's state directory: tables, functions, the server. */
    stateDir: string;
    /** Where bundles are written for the provider to pick up. */
    bundleDir: string;
    /** The version of the `unfold` provider these resources need. */
    version: string;
    /**
     * Whether the program's units run in place, in its isolate (whole-app tests): a service's
     * module rather than in an isolate of its own, and calls to services and Functions.
     */
    unitsInPlace?: boolean;
}

let context: CloudContext | undefined;

export function cloudContext(): CloudContext {
    context ??= call("cloud.context") as CloudContext;
    return context;
}
