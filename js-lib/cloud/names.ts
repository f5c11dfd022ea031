// Names of tables and functions become file names on the local target.

const VALID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

export function checkName(kind: string, name: string): void {
    if (typeof name !== "string" || !VALID.test(name)) {
        throw new TypeError(
            `${kind} name ${JSON.stringify(name)} is not valid: use up to 128 letters, digits, '-', '_' and '.', not starting with '.'`,
        );
    }
}

/** The type of the resource a Function is. */
export const FUNCTION_TYPE = "unfold:index:Function";
