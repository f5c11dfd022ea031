// A top-level await on a promise nothing can ever resolve (tsconfig.json: an ES module, which
// only may await at the top level).
await new Promise(() => {});
export const unreachable = true;
