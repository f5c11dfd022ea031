// Stash: a value kept in the stack's state. The engine implements the resource itself
// (`pulumi:index:Stash`): `output` is the input saved at creation, kept until the
// resource is replaced, while `input` follows the program.

import type { Input, Output } from "./output.ts";
import { CustomResource, type CustomResourceOptions } from "./resource.ts";

export interface StashArgs {
    /** The value to save in the stack's state. */
    input: Input<any>;
}

/** Saves a value in the stack's state, as Pulumi's Node.js SDK's `Stash` does. */
export class Stash extends CustomResource {
    /** The value saved in state: the first input, until the resource is replaced. */
    declare readonly output: Output<any>;
    /** The most recent input. */
    declare readonly input: Output<any>;

    constructor(name: string, args: StashArgs, opts?: CustomResourceOptions) {
        super("pulumi:index:Stash", name, { input: args.input, output: undefined }, opts);
    }
}
