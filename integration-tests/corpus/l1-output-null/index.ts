export const nothing = null;
// `undefined` outputs are dropped, as the Node.js SDK does.
export const missing = undefined;
