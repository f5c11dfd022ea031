import * as pulumi from "@pulumi/pulumi";
import { Resource, Provider, Pair } from "../shared/resources";
const step = new pulumi.Config().getNumber("step") ?? 1;
const provider = new Provider("mapped");
const pair = new Pair("pair", { value: "v" }, { providers: { test: provider } });
const listed = new Pair("listed", { value: "w" }, { providers: [provider] });
export const joined = [pair.joined, listed.joined];
