import * as path from "path";
// The program runs in its project directory, as under Pulumi's Node.js runtime.
export const cwd = path.basename(process.cwd());
