// The notifier service: tells the customer about their order (here: a line in its log) and keeps
// what it sent in a table of its own.

import * as unfold from "@unfold/cloud";
import type { Notification } from "./types";

const sent = new unfold.Table<Notification>("notifications");

export async function notify(orderId: string, text: string): Promise<void> {
    console.log(`to the customer of ${orderId}: ${text}`);
    await sent.put(orderId, { orderId, text });
}

/** What was sent, by order. */
export async function sentFor(orderId: string): Promise<Notification | undefined> {
    return sent.get(orderId);
}
