import { Resource } from "../shared/resources";
new Resource("ok", { value: "fine" });
new Resource("broken", { value: "v", failCreate: "quota exceeded" });
