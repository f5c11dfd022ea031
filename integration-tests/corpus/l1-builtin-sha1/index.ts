import * as crypto from "crypto";
export const sha1 = crypto.createHash("sha1").update("hello unfold").digest("hex");
export const sha256 = crypto.createHash("sha256").update("hello unfold").digest("base64");
export const hmac = crypto.createHmac("sha1", "key").update("hello unfold").digest("hex");
