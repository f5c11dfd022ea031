import * as pulumi from "@pulumi/pulumi";
import * as primitive from "@pulumi/primitive";

interface ConversionComponentArgs {
    boolean: pulumi.Input<boolean>,
    float: pulumi.Input<number>,
    integer: pulumi.Input<number>,
    string: pulumi.Input<string>,
}

export class ConversionComponent extends pulumi.ComponentResource {
    public boolean: pulumi.Output<boolean>;
    public float: pulumi.Output<number>;
    public integer: pulumi.Output<number>;
    public string: pulumi.Output<string>;
    constructor(name: string, args: ConversionComponentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("components:index:ConversionComponent", name, args, opts);
        const res = new primitive.Resource(`${name}-res`, {
            boolean: args.boolean,
            float: args.float,
            integer: args.integer,
            string: args.string,
            numberArray: [
                2,
                42,
                6.5,
            ],
            booleanMap: {
                fromBool: true,
                fromString: true,
            },
        }, {
            parent: this,
        });

        this.boolean = res.boolean;
        this.float = res.float;
        this.integer = res.integer;
        this.string = res.string;
        this.registerOutputs({
            boolean: res.boolean,
            float: res.float,
            integer: res.integer,
            string: res.string,
        });
    }
}
