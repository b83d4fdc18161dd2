import * as pulumi from "@pulumi/pulumi";
import { SeededUsers, loadSeedFile } from "pulumi-appwrite-users";
import { declareDoNothing } from "./do-nothing";

/**
 * The users of seed.json (written by the benchmark before each run) through SeededUsers, or, with the config
 * `doNothing: true`, the same resources with the same inputs and parents through a provider whose methods
 * return at once: what is left of the wall time then is the engine's own cost. With `compact: true`, one
 * resource per user (SeededUsers' `compact`), in both modes; `adopt: true` passes SeededUsers' `adopt`.
 */
const config = new pulumi.Config();
const secret = config.requireSecret("seedPasswordSecret");
const compact = config.getBoolean("compact") === true;
const adopt = config.getBoolean("adopt") === true;

if (config.getBoolean("doNothing") === true) {
    declareDoNothing("bench", loadSeedFile("seed.json"), secret, compact);
} else {
    new SeededUsers("bench", { file: "seed.json", passwordSecret: secret, compact, adopt });
}
