// Locale-dependent formatting, JSON and class hierarchies, all with pinned settings.
abstract class Shape {
    constructor(readonly name: string) {}
    abstract area(): number;
    describe() {
        return `${this.name} of ${new Intl.NumberFormat("de-DE").format(this.area())}`;
    }
}
class Square extends Shape {
    constructor(readonly side: number) {
        super("square");
    }
    area() {
        return this.side * this.side;
    }
}
class Circle extends Shape {
    constructor(readonly radius: number) {
        super("circle");
    }
    area() {
        return Math.PI * this.radius ** 2;
    }
}
const shapes: Shape[] = [];
const index = new Map<string, Set<number>>();
export function step(n: number) {
    const shape = n % 2 ? new Square(n * 1000.5) : new Circle(n);
    shapes.push(shape);
    if (!index.has(shape.name)) index.set(shape.name, new Set());
    index.get(shape.name)!.add(n);
}
export function dump() {
    return {
        described: shapes.map((s) => s.describe()),
        json: JSON.stringify({ shapes, index: [...index].map(([k, v]) => [k, [...v]]) }),
        date: new Date(Date.UTC(2026, 10, 23, 15, 4, 5)).toLocaleString(),
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        locale: Intl.NumberFormat().resolvedOptions().locale,
        currency: new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" }).format(1234.5),
        prototypes: shapes.map((s) => Object.getPrototypeOf(s).constructor.name),
    };
}
