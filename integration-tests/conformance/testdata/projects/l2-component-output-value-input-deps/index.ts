import * as pulumi from "@pulumi/pulumi";
import * as output_value_input_deps from "@pulumi/output-value-input-deps";

const a = new output_value_input_deps.Custom("a", {value: "a"});
const b = new output_value_input_deps.Custom("b", {value: "b"});
const comp = new output_value_input_deps.Component("comp", {refs: {
    x: a.value,
    y: b.value,
}});
