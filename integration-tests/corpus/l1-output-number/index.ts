export const zero = 0;
export const integer = 42;
export const negative = -7;
export const fraction = 3.25;
export const big = 1e300;
export const small = 5e-324;
