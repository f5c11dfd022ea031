import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

const pet = new random.RandomPet("pet", { length: 2, prefix: "unfold" });
const password = new random.RandomPassword("password", { length: 16, special: false });
const suffix = new random.RandomId("suffix", { byteLength: 4, keepers: { pet: pet.id } });
const shuffled = new random.RandomShuffle("order", { inputs: ["a", "b", "c"], resultCount: 2 }, { dependsOn: [password] });

export const petId = pet.id;
export const keepers = suffix.keepers;
export const inputs = shuffled.inputs;
export const secretLength = pulumi.secret(password.length);
