export const plain = "hello";
export const unicode = "héllo wörld ✓ — 日本語 🚀";
export const escapes = "quote \" backslash \\ newline \n tab \t nul \u0000 end";
export const empty = "";
export const large = "x".repeat(1024 * 1024);
