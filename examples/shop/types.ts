// The values that cross between the shop's services.

export interface Order {
    id: string;
    item: string;
    quantity: number;
    /** In cents. */
    total: number;
    placedAt: Date;
}

export interface Notification {
    orderId: string;
    text: string;
}
