import * as pulumi from "@pulumi/pulumi";
import { SeededUsers, loadSeedFile, type SeedLayout } from "pulumi-appwrite-users";
import { declareDoNothing } from "./do-nothing";

/**
 * The users of seed.json (written by the benchmark before each run) through SeededUsers, or, with the config
 * `doNothing: true`, the same resources with the same inputs and parents through a provider whose methods
 * return at once: what is left of the wall time then is the engine's own cost. `layout` passes SeededUsers'
 * layout (`sets` by default, `bundles`, `resources`) in both modes; `adopt: true` passes SeededUsers' `adopt`.
 * With `empty: true` the program declares nothing: the floor of any `up` through this CLI.
 */
const config = new pulumi.Config();
const secret = config.requireSecret("seedPasswordSecret");
const layout = (config.get("layout") ?? "sets") as SeedLayout;
const adopt = config.getBoolean("adopt") === true;

if (config.getBoolean("empty") === true) {
    // Nothing declared.
} else if (config.getBoolean("doNothing") === true) {
    declareDoNothing("bench", loadSeedFile("seed.json"), secret, layout);
} else {
    new SeededUsers("bench", { file: "seed.json", passwordSecret: secret, layout, adopt });
}
