// The `buffer` built-in: the npm package `buffer` 6.0.3 (MIT, with base64-js 1.5.1 and ieee754
// 1.2.1), Node.js's Buffer for other runtimes, vendored in ./vendor.
import buffer from "./vendor/buffer/index.js";

export default buffer;
export const { Buffer, SlowBuffer, INSPECT_MAX_BYTES, kMaxLength } = buffer as any;
export const constants = { MAX_LENGTH: (buffer as any).kMaxLength, MAX_STRING_LENGTH: 2 ** 29 - 24 };
(buffer as any).constants = constants;
