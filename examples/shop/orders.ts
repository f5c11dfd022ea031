// The orders service: takes orders, prices them with the catalog, keeps them in a table and has
// the notifier tell the customer. The other services are imported here, where they are used.

import * as unfold from "@unfold/cloud";
import type { Order } from "./types";

const catalog = unfold.importService<typeof import("./catalog")>("./catalog");
const notifier = unfold.importService<typeof import("./notifier")>("./notifier");

interface StoredOrder extends Omit<Order, "placedAt"> {
    placedAt: string;
}

// Orders arrive in bursts: more instances, each with a little more memory.
unfold.runAs({ concurrency: 8, memory: 192 });

const orders = new unfold.Table<StoredOrder>("orders");

export async function place(item: string, quantity: number): Promise<Order> {
    if (!Number.isInteger(quantity) || quantity < 1) {
        throw new RangeError(`an order needs a whole number of items, not ${quantity}`);
    }
    const total = (await catalog.price(item)) * quantity;
    const order: Order = { id: Math.random().toString(36).slice(2, 10), item, quantity, total, placedAt: new Date() };
    await orders.put(order.id, { ...order, placedAt: order.placedAt.toISOString() });
    await notifier.notify(order.id, `${quantity} × ${item} ordered, ${(total / 100).toFixed(2)} to pay`);
    return order;
}

export async function get(id: string): Promise<Order | undefined> {
    const stored = await orders.get(id);
    return stored && { ...stored, placedAt: new Date(stored.placedAt) };
}
