// Timer ordering: timeouts, intervals, cleared timers and immediates.
const order: string[] = [];
export function step(n: number) {
    return new Promise<void>((resolve) => {
        setTimeout(() => order.push(`${n}:30`), 30);
        setTimeout(() => order.push(`${n}:10`), 10);
        const cleared = setTimeout(() => order.push(`${n}:never`), 20);
        clearTimeout(cleared);
        setImmediate(() => order.push(`${n}:immediate`));
        let ticks = 0;
        const interval = setInterval(() => {
            order.push(`${n}:tick${++ticks}`);
            if (ticks === 3) {
                clearInterval(interval);
                setTimeout(resolve, 15);
            }
        }, 7);
    });
}
export function dump() {
    return order;
}
