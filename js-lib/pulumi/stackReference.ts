// References to the outputs of other stacks.

import { all, makeOutput, output, partsOf, type Input, type Output } from "./output.ts";
import { CustomResource, type CustomResourceOptions } from "./resource.ts";

/** Reads the outputs of another stack, which stays owned by that stack. */
export class StackReference extends CustomResource {
    /** The name of the referenced stack. */
    declare readonly name: Output<string>;
    /** The outputs of the referenced stack. */
    declare readonly outputs: Output<{ [name: string]: any }>;
    /** The names of the referenced stack's secret outputs. */
    declare readonly secretOutputNames: Output<string[]>;

    /** References stack `args.name`, or the stack called `name` if no name is given. */
    constructor(name: string, args?: StackReferenceArgs, opts?: CustomResourceOptions) {
        args = args || {};
        const stackReferenceName = args.name || name;
        super(
            "pulumi:pulumi:StackReference",
            name,
            { name: stackReferenceName, outputs: undefined, secretOutputNames: undefined },
            { ...opts, id: stackReferenceName },
        );
    }

    /** The output `name`, or undefined if the stack has no such output. */
    getOutput(name: Input<string>): Output<any> {
        const value = all([output(name), this.outputs]).apply(([n, os]) => os[n]);
        return this.withOutputSecrecy(value, name);
    }

    /** The output `name`; fails if the stack has no such output. */
    requireOutput(name: Input<string>): Output<any> {
        const value = all([output(this.name), output(name), this.outputs]).apply(([stackname, n, os]) => {
            if (!Object.prototype.hasOwnProperty.call(os, n)) {
                throw new Error(`Required output '${n}' does not exist on stack '${stackname}'.`);
            }
            return os[n];
        });
        return this.withOutputSecrecy(value, name);
    }

    /** The output `name` as `value` or, if it is secret, as `secretValue`. */
    async getOutputDetails(name: string): Promise<StackReferenceOutputDetails> {
        const [out, isSecret] = await this.readOutputValue(name, false);
        return isSecret ? { secretValue: out } : { value: out };
    }

    /** The value of a non-secret output `name`, or undefined. */
    async getOutputValue(name: string): Promise<any> {
        const [out, isSecret] = await this.readOutputValue(name, false);
        if (isSecret) {
            throw new Error("Cannot call 'getOutputValue' if the referenced stack output is a secret. Use 'getOutput' instead.");
        }
        return out;
    }

    /** The value of a non-secret output `name`; fails if there is none. */
    async requireOutputValue(name: string): Promise<any> {
        const [out, isSecret] = await this.readOutputValue(name, true);
        if (isSecret) {
            throw new Error("Cannot call 'requireOutputValue' if the referenced stack output is a secret. Use 'requireOutput' instead.");
        }
        return out;
    }

    private readOutputValue(outputName: string, required: boolean): Promise<[any, boolean]> {
        const out = required ? this.requireOutput(outputName) : this.getOutput(outputName);
        return Promise.all([partsOf(out).promise(), partsOf(out).isSecret]);
    }

    // An output is secret if the referenced stack lists it as secret; when that list is not
    // available, if the outputs as a whole are secret.
    private withOutputSecrecy(value: Output<any>, name: Input<string>): Output<any> {
        const v = partsOf(value);
        return makeOutput(v.resources(), v.promise(), v.isKnown, isSecretOutputName(this, output(name)), v.allResources());
    }
}

async function isSecretOutputName(sr: StackReference, name: Output<string>): Promise<boolean> {
    const nameParts = partsOf(name);
    const secretNames = partsOf(sr.secretOutputNames);
    if (!((await nameParts.isKnown) && (await secretNames.isKnown))) {
        return partsOf(sr.outputs).isSecret;
    }
    const names = await secretNames.promise();
    if (!names) {
        return partsOf(sr.outputs).isSecret;
    }
    return names.includes(await nameParts.promise());
}

/** Arguments of a {@link StackReference}. */
export interface StackReferenceArgs {
    /** The name of the stack, as "<organization>/<project>/<stack>" or a shorter form. */
    readonly name?: Input<string>;
}

/** The value of a stack output, under `secretValue` if it is secret. */
export interface StackReferenceOutputDetails {
    readonly value?: any;
    readonly secretValue?: any;
}
