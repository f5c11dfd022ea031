// Imports the entry module, which is part way through loading when this module runs.
import { prefix } from "./index";

export const seenDuringLoad = typeof prefix;

export function label(kind: string): string {
    return `${prefix}-${kind}`;
}
