// Type identity that survives several copies of the SDK in one program: classes mark their
// instances with a `__pulumi…` member set to `true`, and checks look for the mark, never at
// prototypes.

/** Whether `obj` carries the brand `member` (an own or inherited member equal to `true`). */
export function hasBrand(obj: unknown, member: string): boolean {
    if (obj === undefined || obj === null) {
        return false;
    }
    return (obj as Record<string, unknown>)[member] === true;
}
