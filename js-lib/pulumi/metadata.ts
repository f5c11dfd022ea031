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

/**
 * Fails unless the engine running the program is a Pulumi version within `range` (blang/semver
 * syntax: ">=3.0.0", "!3.1.2", ">=3.5.0 !3.7.7", "<3.4.0 || >3.8.0").
 */
export function requirePulumiVersion(range: string): Promise<void> {
    return settings.requirePulumiVersion(range);
}
