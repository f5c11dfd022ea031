import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TeamArgs {
    members: string[];
    readOnly: boolean;
}

/** A group with one user per member and the policies the team needs. */
export class Team extends pulumi.ComponentResource {
    public readonly groupName: pulumi.Output<string>;
    public readonly userArns: pulumi.Output<string>[];
    public readonly members: aws.iam.User[];

    constructor(name: string, args: TeamArgs, opts?: pulumi.ComponentResourceOptions) {
        super("examples:iam:Team", name, args, opts);
        const group = new aws.iam.Group(name, { path: `/teams/${name}/` }, { parent: this });
        new aws.iam.GroupPolicyAttachment(`${name}-policy`, {
            group: group.name,
            policyArn: args.readOnly ? aws.iam.ManagedPolicy.ReadOnlyAccess : aws.iam.ManagedPolicy.PowerUserAccess,
        }, { parent: this });
        this.members = args.members.map((member) => new aws.iam.User(`${name}-${member}`, {
            name: member,
            tags: { team: name },
        }, { parent: group }));
        new aws.iam.GroupMembership(`${name}-members`, {
            group: group.name,
            users: this.members.map((u) => u.name),
        }, { parent: this });
        this.groupName = group.name;
        this.userArns = this.members.map((u) => u.arn);
        this.registerOutputs({ groupName: this.groupName, userArns: this.userArns });
    }
}
