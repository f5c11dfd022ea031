// Facts about the current deployment.

import * as settings from "./runtime/settings.ts";

/** The organization of the stack being deployed. */
export function getOrganization(): string {
    return settings.getOrganization();
}

/** The project being deployed. */
export function getProject(): string {
    return settings.getProject();
}

/** The stack being deployed. */
export function getStack(): string {
    return settings.getStack();
}

/** The directory holding Pulumi.yaml. */
export function getRootDirectory(): string {
    return settings.getRootDirectory();
}
