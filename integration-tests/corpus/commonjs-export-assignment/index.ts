// A CommonJS project without esModuleInterop whose module is one async function (`export =`):
// the SDK calls it and its result becomes the stack outputs.
import fs = require("fs");
import legacyDefault from "./legacy";
import * as legacy from "./legacy";
import { Resource } from "../shared/resources";

export = async () => {
    const res = new Resource("res", { value: "made by the exported function" });
    await Promise.resolve();
    return {
        value: res.value,
        // Without esModuleInterop a default import is the module's `default` property.
        defaultImport: typeof legacyDefault,
        // ... and a namespace import is `module.exports` itself.
        namespaceImport: typeof legacy,
        greeting: (legacy as unknown as (name: string) => string)("world"),
        version: legacy.version,
        hasPulumiYaml: fs.existsSync("Pulumi.yaml"),
        // At the top level of CommonJS (and so in this arrow function), `this` is the exports object.
        topLevelThis: typeof this,
    };
};
