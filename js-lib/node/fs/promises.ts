// The `fs/promises` built-in: the promise forms of `fs`'s reads.
import { promises } from "../fs.ts";

export default promises;
export const { readFile, stat, lstat, readdir, realpath, access, writeFile, mkdir, rm, unlink } = promises;
