// Diagnostics the engine shows the user, optionally attached to a resource.

import { gatewayConsole } from "../../unfold/console.ts";
import { partsOf } from "../output.ts";
import type { Resource } from "../resource.ts";
import { engineRequest, rpcKeepAlive } from "../runtime/settings.ts";

type Severity = "DEBUG" | "INFO" | "WARNING" | "ERROR";

const severityNames: Record<Severity, string> = { DEBUG: "debug", INFO: "info", WARNING: "warn", ERROR: "error" };

let errorCount = 0;
// Messages reach the engine in the order they were logged.
let lastLog: Promise<void> = Promise.resolve();

/** Whether an error has been logged in this run. */
export function hasErrors(): boolean {
    return errorCount > 0;
}

export function debug(msg: string, resource?: Resource, streamId?: number, ephemeral?: boolean): Promise<void> {
    return log("DEBUG", msg, resource, streamId, ephemeral);
}

export function info(msg: string, resource?: Resource, streamId?: number, ephemeral?: boolean): Promise<void> {
    return log("INFO", msg, resource, streamId, ephemeral);
}

export function warn(msg: string, resource?: Resource, streamId?: number, ephemeral?: boolean): Promise<void> {
    return log("WARNING", msg, resource, streamId, ephemeral);
}

export function error(msg: string, resource?: Resource, streamId?: number, ephemeral?: boolean): Promise<void> {
    errorCount++;
    return log("ERROR", msg, resource, streamId, ephemeral);
}

function log(severity: Severity, message: string, resource?: Resource, streamId?: number, ephemeral?: boolean): Promise<void> {
    const done = rpcKeepAlive();
    const urn = resource ? partsOf(resource.urn).promise() : Promise.resolve("");
    // The next message waits for this one whether or not the engine accepted it.
    lastLog = Promise.all([lastLog, urn]).then(([, u]) =>
        engineRequest("Log", { severity, message, urn: u ?? "", streamId: streamId ?? 0, ephemeral: ephemeral === true }).then(
            () => undefined,
            () => undefined,
        ),
    );
    return lastLog
        .catch((err) => {
            if (severity !== "DEBUG") {
                gatewayConsole.error(
                    `failed to deliver log message. \nerror: ${err} \noriginal message: ${message}\n message severity: ${severityNames[severity]}`,
                );
            }
        })
        .finally(done);
}
