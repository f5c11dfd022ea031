import { Resource } from "../shared/resources";
// Registers a resource every 100 ms; the test stops the engine part way through.
let registered = 0;
function next() {
    new Resource(`r${registered}`, { value: registered });
    if (++registered < 50) setTimeout(next, 100);
}
next();
