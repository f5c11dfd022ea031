export const empty = {};
export const nested = { a: 1, b: { c: ["d", { e: "f" }] }, "key with spaces": "ok", "ünï": "côdé" };
