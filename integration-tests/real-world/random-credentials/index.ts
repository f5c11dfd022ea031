import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

interface Environment {
    passwordLength: number;
    specialCharacters?: boolean;
}

const config = new pulumi.Config();
const environments = config.requireObject<Record<string, Environment>>("environments");
const adminEmail = config.require("adminEmail");
const seed = config.requireSecret("seed");

export const credentials: Record<string, pulumi.Output<unknown>> = {};
for (const [env, settings] of Object.entries(environments)) {
    const name = new random.RandomPet(`${env}-name`, { length: 2, separator: "-", prefix: env });
    const password = new random.RandomPassword(`${env}-password`, {
        length: settings.passwordLength,
        special: settings.specialCharacters ?? true,
        overrideSpecial: "_%@",
        keepers: { seed },
    });
    const suffix = new random.RandomString(`${env}-suffix`, { length: 6, upper: false, special: false });
    const id = new random.RandomUuid(`${env}-id`, { keepers: { name: name.id } });
    credentials[env] = pulumi.all([name.id, suffix.result, id.result, password.result]).apply(
        ([user, s, uuid, pw]) => ({ user: `${user}-${s}`, uuid, admin: adminEmail, password: pulumi.secret(pw) }),
    );
}

const shuffled = new random.RandomShuffle("zones", { inputs: ["a", "b", "c", "d"], resultCount: 2 });
export const zones = shuffled.results;
export const port = new random.RandomInteger("port", { min: 10000, max: 20000 }).result;
