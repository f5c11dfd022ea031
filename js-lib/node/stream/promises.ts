// The `stream/promises` built-in: `finished` and `pipeline` returning promises.
import { promises } from "../stream.ts";

export default promises;
export const { finished, pipeline } = promises;
