import * as pulumi from "@pulumi/pulumi";
import { Team } from "./team";

const config = new pulumi.Config();
const teams = config.requireObject<Record<string, string[]>>("teams");
const readOnly = config.getBoolean("readOnly") ?? true;

const created = Object.entries(teams).map(([name, members]) => new Team(name, { members, readOnly }));

export const groups = created.map((t) => t.groupName);
export const memberCount = created.reduce((n, t) => n + t.members.length, 0);
export const firstTeamArns = created[0].userArns;
