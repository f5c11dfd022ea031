import * as pulumi from "@pulumi/pulumi";
import { ConversionComponent } from "./conversionComponent";

const config = new pulumi.Config();
const plainBool = config.requireBoolean("plainBool");
const plainNumber = config.requireNumber("plainNumber");
const plainInteger = config.requireNumber("plainInteger");
const plainString = config.require("plainString");
const plainNumericString = config.require("plainNumericString");
const secretNumber = config.requireSecretNumber("secretNumber");
const secretInteger = config.requireSecretNumber("secretInteger");
const secretString = config.requireSecret("secretString");
const secretNumericString = config.requireSecret("secretNumericString");
const plainValues = new ConversionComponent("plainValues", {
    boolean: plainString === "true",
    float: plainInteger,
    integer: Number(plainNumericString),
    string: String(plainNumber),
});
const secretValues = new ConversionComponent("secretValues", {
    boolean: secretString.apply(x =>x === "true"),
    float: secretInteger,
    integer: secretNumericString.apply(x =>Number(x)),
    string: secretNumber.apply(x =>String(x)),
});
