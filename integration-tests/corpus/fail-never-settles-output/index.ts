export const forever = new Promise<string>(() => {});
