import * as unfold from "@unfold/cloud";

interface Message {
    id: string;
    text: string;
}

const db = new unfold.Table<Message>("messages");

const insert = new unfold.Function("insert", async (req) => {
    const msg = req.json<Message>();
    await db.put(msg.id, msg);
    return { status: 201, body: { stored: msg.id } };
});

const api = new unfold.HttpApi("api");
api.route("POST", "/messages", insert);
api.route("GET", "/messages/{id}", async (req) => {
    const msg = await db.get(req.params.id);
    return msg === undefined ? { status: 404, body: { error: `no message ${req.params.id}` } } : { body: msg };
});

export const url = api.url;
