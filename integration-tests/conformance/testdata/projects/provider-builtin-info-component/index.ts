import * as pulumi from "@pulumi/pulumi";
import * as builtin_info_component from "@pulumi/builtin-info-component";

const res = new builtin_info_component.BuiltinInfo("res", {});
