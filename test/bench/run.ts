import { runEmulatorBench } from "../emulator/bench";

/** Every benchmark `npm run bench` runs, by name; `npm run bench -- <name>` runs only that one. */
const BENCHES: Record<string, () => Promise<unknown>> = {
  emulator: () => runEmulatorBench(),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) throw new Error(`Unknown bench ${unknown.join(", ")}; known: ${Object.keys(BENCHES).join(", ")}`);
  for (const [name, run] of Object.entries(BENCHES)) {
    if (only.length > 0 && !only.includes(name)) continue;
    await run();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.message : error)}\n`);
  process.exit(1);
});
