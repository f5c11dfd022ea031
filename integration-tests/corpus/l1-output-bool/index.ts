export const yes = true;
export const no = false;
