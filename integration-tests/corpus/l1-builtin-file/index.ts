import * as fs from "fs";
import * as path from "path";
export const relative = fs.readFileSync("message.txt", "utf8");
export const besideTheModule = fs.readFileSync(path.join(__dirname, "message.txt")).toString("base64");
export const exists = [fs.existsSync("message.txt"), fs.existsSync("missing.txt")];
