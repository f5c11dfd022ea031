// A program that runs processes at deploy time, as Pulumi programs do for build steps and hooks.
import * as child_process from "child_process";

export const fedThrough = child_process.execFileSync("sh", ["-c", "cat; printf ' and back'"], {
    input: "fed in",
    encoding: "utf8",
});
export const throughAShell = child_process.execSync("echo $((6 * 7))").toString().trim();
export const inItsDirectory = child_process.execFileSync("ls", { cwd: "sub", encoding: "utf8" }).trim();

function failure(): { status: number | null; stderr: string; message: string } {
    try {
        child_process.execFileSync("sh", ["-c", "echo oops >&2; exit 3"], { stdio: "pipe" });
        throw new Error("unreachable");
    } catch (e: any) {
        return { status: e.status, stderr: e.stderr.toString(), message: e.message };
    }
}
export const failed = failure();

const missing = child_process.spawnSync("no-such-program-for-unfold", ["x"]);
export const notFound = { code: (missing.error as any)?.code, status: missing.status };
