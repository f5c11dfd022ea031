export const empty: string[] = [];
export const mixed = [1, "two", true, null, [3], { four: 4 }];
