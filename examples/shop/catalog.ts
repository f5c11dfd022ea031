// The catalog service: what the shop sells, at what price. Its state is what its top-level code
// built at deploy time; it needs no table.

const prices = new Map<string, number>([
    ["tea", 350],
    ["coffee", 420],
    ["cake", 600],
]);

/** The price of one `item`, in cents. */
export function price(item: string): number {
    const cents = prices.get(item);
    if (cents === undefined) {
        throw new RangeError(`the catalog has no '${item}'; it has ${[...prices.keys()].join(", ")}`);
    }
    return cents;
}

/** Every item with its price. */
export function items(): Map<string, number> {
    return new Map(prices);
}
