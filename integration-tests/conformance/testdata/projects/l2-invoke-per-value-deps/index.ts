import * as pulumi from "@pulumi/pulumi";
import * as pick from "@pulumi/pick";
import * as simple_invoke from "@pulumi/simple-invoke";

// Exercises per-value dependency propagation through an OutputValue-aware invoke. `pick:index:pickSecond`
// returns its `second` argument unchanged, so d.text semantically depends only on b. When the engine and
// provider both negotiate OutputValues on Invoke that is what state records; when the feature is disabled
// on the engine the SDK falls back to the union rule and d also gains a dependency on a.
const a = new simple_invoke.StringResource("a", {text: "a"});
const b = new simple_invoke.StringResource("b", {text: "b"});
const data = pick.pickSecondOutput({
    first: a.text,
    second: b.text,
});
const d = new simple_invoke.StringResource("d", {text: data.result});
// `first` is secret, `second` is plain. In the OutputValues-aware path PickProvider returns the plain
// `second` verbatim, so e.text records no secret. In the legacy path the SDK unions
// the arg secretness onto the whole return, so e.text ends up secret.
const first_secret = pick.pickSecondOutput({
    first: pulumi.secret(a.text),
    second: b.text,
});
const e = new simple_invoke.StringResource("e", {text: first_secret.result});
// `second` is itself secret, so the returned `second` carries that secret in both modes and f.text is
// secret regardless of the negotiation.
const second_secret = pick.pickSecondOutput({
    first: a.text,
    second: pulumi.secret(b.text),
});
const f = new simple_invoke.StringResource("f", {text: second_secret.result});
