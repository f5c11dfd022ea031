// Whole-app tests of the shop: `unfold test examples/shop` loads the program once, in one process,
// and runs these against it — routes called as a client calls them, calls crossing the services
// in place, tables in memory and emptied before each test.

import * as unfold from "@unfold/cloud";
import { request, table, test } from "@unfold/test";
import type { Notification } from "./types";

function expect(condition: boolean, what: string): void {
    if (!condition) {
        throw new Error(`expected ${what}`);
    }
}

test("an order is priced by the catalog, stored, and its customer notified", async () => {
    const placed = await request("POST", "/shop/orders", { body: { item: "tea", quantity: 2 } });
    expect(placed.status === 201, `201, got ${placed.status} ${placed.body}`);
    const order = placed.json<{ id: string; total: number }>();
    expect(order.total === 700, `a total of 700, got ${order.total}`);

    const stored = await request("GET", `/shop/orders/${order.id}`);
    expect(stored.json().notified === "2 × tea ordered, 7.00 to pay", `the notification, got ${stored.body}`);
    const sent = await table<Notification>("notifications").get(order.id);
    expect(sent?.orderId === order.id, `the notifier's table to hold the order, got ${JSON.stringify(sent)}`);
});

test("an item the catalog lacks is refused, and nothing is stored", async () => {
    const refused = await request("POST", "/shop/orders", { body: { item: "scone", quantity: 1 } });
    expect(refused.status === 400, `400, got ${refused.status}`);
    expect(refused.json().error.includes("the catalog has no 'scone'"), `the catalog's reason, got ${refused.body}`);
    const orders = await table("orders").scan();
    expect(orders.items.length === 0, `no order stored, got ${orders.items.length}`);
});

test("a service is called directly, its types and values as in the program", async () => {
    const catalog = unfold.importService<typeof import("./catalog")>("./catalog");
    const items = await catalog.items();
    expect(items instanceof Map && items.get("cake") === 600, "the catalog as a Map");
    const orders = unfold.importService<typeof import("./orders")>("./orders");
    const order = await orders.place("coffee", 3);
    expect(order.placedAt instanceof Date && order.total === 1260, `a priced order with its Date, got ${JSON.stringify(order)}`);
});
