import * as pulumi from "@pulumi/pulumi";
import * as bytesink from "@pulumi/bytesink";
import * as bytesource from "@pulumi/bytesource";

const source = new bytesource.Resource("source", {base64: "AGhlbGxvIID+/yB3b3JsZPAo"});
const sink = new bytesink.Resource("sink", {
    bytes: source.bytes,
    expectBase64: source.base64,
});
