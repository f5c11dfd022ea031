// The `os` built-in, written for Unfold: the platform through a crossing, the rest constants or
// environment variables (themselves crossings). Machine details a program could not replay
// elsewhere (load, memory, network interfaces) are reported as empty.
import process from "./process.ts";

const os = {
    EOL: "\n",
    devNull: "/dev/null",
    platform: () => process.platform,
    arch: () => process.arch,
    type: () => (process.platform === "darwin" ? "Darwin" : process.platform === "win32" ? "Windows_NT" : "Linux"),
    release: () => "",
    version: () => "",
    machine: () => (process.arch === "x64" ? "x86_64" : process.arch),
    endianness: () => "LE",
    homedir: () => process.env.HOME ?? "/",
    tmpdir: () => (process.env.TMPDIR ?? "/tmp").replace(/\/$/, "") || "/",
    hostname: () => process.env.HOSTNAME ?? "localhost",
    userInfo: () => ({
        username: process.env.USER ?? "",
        uid: -1,
        gid: -1,
        shell: process.env.SHELL ?? null,
        homedir: process.env.HOME ?? "/",
    }),
    cpus: () => [],
    availableParallelism: () => 1,
    totalmem: () => 0,
    freemem: () => 0,
    loadavg: () => [0, 0, 0],
    uptime: () => 0,
    networkInterfaces: () => ({}),
    constants: { signals: {}, errno: {} },
};

export default os;
export const { EOL, devNull, platform, arch, type, release, homedir, tmpdir, hostname, userInfo, cpus, totalmem, freemem, endianness } = os;
