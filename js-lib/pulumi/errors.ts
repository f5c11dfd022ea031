// Errors a program raises to end the run with a message instead of a stack trace.

import { hasBrand } from "./rtti.ts";
import type { Resource } from "./resource.ts";

/**
 * An error whose message is reported without a stack trace: something the user can fix, such as
 * missing configuration.
 */
export class RunError extends Error {
    /** @internal */
    readonly __pulumiRunError = true;

    static isInstance(obj: unknown): obj is RunError {
        return hasBrand(obj, "__pulumiRunError");
    }
}

/** An error reported against a specific resource. */
export class ResourceError extends Error {
    resource: Resource | undefined;
    hideStack?: boolean;
    /** @internal */
    declare readonly __pulumResourceError: boolean;

    constructor(message: string, resource: Resource | undefined, hideStack?: boolean) {
        super(message);
        this.resource = resource;
        this.hideStack = hideStack;
        // Set last, as the Node.js SDK does: own-property order shows in Object.keys and in logged errors.
        (this as { __pulumResourceError: boolean }).__pulumResourceError = true;
    }

    static isInstance(obj: unknown): obj is ResourceError {
        return hasBrand(obj, "__pulumResourceError");
    }
}

export interface InputPropertyErrorDetails {
    propertyPath: string;
    reason: string;
}

/** An invalid input property, as a provider reports it. */
export class InputPropertyError extends Error {
    /** @internal */
    readonly __pulumiInputPropertyError = true;
    propertyPath: string;
    reason: string;

    constructor(args: InputPropertyErrorDetails) {
        super(args.reason);
        this.propertyPath = args.propertyPath;
        this.reason = args.reason;
    }

    static isInstance(obj: unknown): obj is InputPropertyError {
        return hasBrand(obj, "__pulumiInputPropertyError");
    }
}

export interface InputPropertiesErrorDetails {
    message: string;
    errors?: InputPropertyErrorDetails[];
}

/** Several invalid input properties, as a provider reports them. */
export class InputPropertiesError extends Error {
    /** @internal */
    readonly __pulumiInputPropertiesError = true;
    errors?: InputPropertyErrorDetails[];

    constructor(args: InputPropertiesErrorDetails) {
        super(args.message);
        this.errors = args.errors;
    }

    static isInstance(obj: unknown): obj is InputPropertiesError {
        return hasBrand(obj, "__pulumiInputPropertiesError");
    }
}
