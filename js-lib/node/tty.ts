// The `tty` built-in: a program's output goes through the host, never to a terminal.
const tty = {
    isatty(_fd: number): boolean {
        return false;
    },
};
export default tty;
export const { isatty } = tty;
