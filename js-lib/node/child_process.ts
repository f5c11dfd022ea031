// The `child_process` built-in, written for Unfold: it loads, because packages require it when
// they load (docker-classic, behind @pulumi/awsx, does), but programs cannot start processes, so
// every function fails with an error that says so.
import EventEmitter from "./events.ts";

function noProcesses(what: string): never {
    throw Object.assign(
        new Error(`child_process.${what}: programs under Unfold cannot start processes; they run without direct access to the machine`),
        { code: "ERR_UNFOLD_NO_PROCESSES" },
    );
}

class ChildProcess extends EventEmitter {}

const child_process = {
    ChildProcess,
    spawn: () => noProcesses("spawn"),
    spawnSync: () => noProcesses("spawnSync"),
    exec: () => noProcesses("exec"),
    execSync: () => noProcesses("execSync"),
    execFile: () => noProcesses("execFile"),
    execFileSync: () => noProcesses("execFileSync"),
    fork: () => noProcesses("fork"),
};

export default child_process;
export { ChildProcess };
export const { spawn, spawnSync, exec, execSync, execFile, execFileSync, fork } = child_process;
