import * as pulumi from "@pulumi/pulumi";
import * as pick_call from "@pulumi/pick-call";
import * as simple_invoke from "@pulumi/simple-invoke";

// Exercises per-leaf OutputValue dependency propagation through a method Call.
//
// `getBoth` returns `{wrapper: {a, b}}` where `wrapper` is a plain field of a named object type and `a`,
// `b` are non-plain. The provider annotates `ReturnDependencies["wrapper"] = {pa, pb}` — the coarse
// answer, since ReturnDependencies cannot address nested leaves. Per-leaf precision only survives via
// OutputValues wrapping `a` and `b` individually.
//
// `g` consumes only `wrapper.a`:
//   - OutputValues path: per-leaf dep on `a` carries only pa; g depends on {pa, c}.
//   - Legacy path: the coarse {pa, pb} on `wrapper` propagates to any descent; g depends on {pa, pb, c}.
const c = new pick_call.Picker("c", {value: "c"});
const pa = new simple_invoke.StringResource("pa", {text: "pa"});
const pb = new simple_invoke.StringResource("pb", {text: "pb"});
const both = pulumi.all([pa.text, pb.text]).apply(([paText, pbText]) => c.getBoth(({
    a: paText,
    b: pbText,
})));
const g = new simple_invoke.StringResource("g", {text: both.wrapper.a});
