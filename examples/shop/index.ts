// A shop as one program: three services (orders, catalog, notifier), each deployed as a unit of
// its own, and an HTTP API whose routes call them as if they were local modules.
//
//   unfold dev examples/shop
//   curl -X POST "$url/orders" -H 'content-type: application/json' -d '{"item":"tea","quantity":2}'

import * as unfold from "@unfold/cloud";

const orders = unfold.importService<typeof import("./orders")>("./orders");
const catalog = unfold.importService<typeof import("./catalog")>("./catalog");
const notifier = unfold.importService<typeof import("./notifier")>("./notifier");

const api = new unfold.HttpApi("shop");

api.route("POST", "/orders", async (req) => {
    const { item, quantity } = req.json<{ item: string; quantity: number }>();
    try {
        const order = await orders.place(item, quantity);
        return { status: 201, body: { ...order, placedAt: order.placedAt.toISOString() } };
    } catch (err) {
        return { status: 400, body: { error: (err as Error).message } };
    }
});

api.route("GET", "/orders/{id}", async (req) => {
    const order = await orders.get(req.params.id);
    if (order === undefined) {
        return { status: 404, body: { error: `no order ${req.params.id}` } };
    }
    const notification = await notifier.sentFor(order.id);
    return { body: { ...order, placedAt: order.placedAt.toISOString(), notified: notification?.text ?? null } };
});

api.route("GET", "/catalog", async () => ({ body: Object.fromEntries(await catalog.items()) }));

export const url = api.url;
