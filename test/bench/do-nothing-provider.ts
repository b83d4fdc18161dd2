import * as fs from "node:fs";
import * as path from "node:path";

/** The package name the seed program's do-nothing mode requires. */
const DO_NOTHING_PACKAGE = "appwrite-users-bench-do-nothing";

/** A dynamic provider that answers every call at once: check passes, diff sees nothing, read gives back the state. */
const SOURCE = `"use strict";
module.exports = {
    async check(olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(inputs) { return { id: String(inputs.targetId ?? inputs.userId ?? "set"), outs: inputs }; },
    async read(id, props) { return { id, props }; },
    async delete() {},
};
`;

/** Installs the do-nothing provider as a package under the project's node_modules, where Pulumi serializes it as a require. */
export function installDoNothingProvider(projectDir: string): void {
    const dir = path.join(projectDir, "node_modules", DO_NOTHING_PACKAGE);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: DO_NOTHING_PACKAGE, version: "1.0.0", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), SOURCE);
}
