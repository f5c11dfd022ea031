// A top-level await on a promise nothing can ever resolve.
await new Promise(() => {});
export const unreachable = true;
