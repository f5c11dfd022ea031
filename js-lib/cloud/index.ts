// @unfold/cloud: a database, functions and HTTP endpoints in one program. A Function's code is
// an ordinary closure; whatever it uses from the program — a Table, a configuration value, a
// resource's output — it uses directly.

export { Function, type FunctionOptions, type InvocationRecording } from "./function.ts";
export { HttpApi } from "./httpApi.ts";
export type { Handler, OutgoingRequest, Reply, Request, Response } from "./http.ts";
export { Table, type Page, type PageOptions } from "./table.ts";
export { importService, runAs, type Service, type ServiceOptions } from "./service.ts";
