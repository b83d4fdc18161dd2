import * as os from "node:os";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../emulator";
import type { OperationResult } from "../engine";
import { runDrift } from "./drift-bench";
import { benchSettings, measure, printFigures, stdoutLog, type BenchSettings, type Figure, type Log } from "./figures";
import { KINDS_PER_USER, benchStack } from "./stack";
import { providerObject } from "../../sdk/provider-object";

/**
 * What one `__provider` costs the program: Pulumi serializes the provider object of a dynamic resource when
 * it is declared and caches the text by object, so the cost is paid once per distinct provider object.
 */
async function serializationMs(samples: number): Promise<number> {
    const serialize = (p: object) => pulumi.runtime.serializeFunction(() => p, { allowSecrets: true });
    await serialize(providerObject("User"));
    const started = process.hrtime.bigint();
    for (let i = 0; i < samples; i++) await serialize(providerObject("User"));
    return Number(process.hrtime.bigint() - started) / 1e6 / samples;
}

function changed(result: OperationResult): number {
    return result.steps.filter((s) => s.op !== "same" && !(s.op === "refresh" && s.result === "same")).length;
}

/**
 * The generated program of `users` users through the engine harness, as `pulumi` runs it with its default
 * parallelism (four times the CPUs): up, a no-change up, preview --refresh, refresh, the drift command on the
 * resulting state, destroy.
 */
export async function runEngineBench(settings: BenchSettings = benchSettings(), log: Log = stdoutLog): Promise<Figure[]> {
    const emu: Emulator = await startEmulator({ latencyMs: settings.latencyMs });
    const { stack, stateFile, dispose } = benchStack(emu, settings.users);
    const users = settings.users;
    const resources = users * KINDS_PER_USER;
    const figures: Figure[] = [];
    const step = async (scenario: string, run: () => Promise<OperationResult>, expectChanges?: number) => {
        const { figure, value } = await measure(emu, { scenario, users, resources }, run);
        const count = changed(value);
        if (expectChanges !== undefined && count !== expectChanges) {
            figure.note = `expected ${expectChanges} changed steps, saw ${count}`;
        }
        figures.push(figure);
    };
    try {
        await step("up (create)", () => stack.up());
        await step("up (no change)", () => stack.up(), 0);
        await step("preview --refresh", () => stack.preview({ refresh: true }), 0);
        await step("refresh", () => stack.refresh(), 0);
        figures.push(await runDrift(emu, stateFile, users, resources));
        await step("destroy", () => stack.destroy());
        const ms = await serializationMs(50);
        const objects = new Set(Array.from({ length: 2 }, () => providerObject("User"))).size;
        figures.push({
            scenario: "__provider (estimate)",
            users,
            resources,
            counts: {},
            seconds: (ms * (objects === 1 ? KINDS_PER_USER : resources)) / 1000,
            note:
                `serializing one provider object takes ${ms.toFixed(1)} ms here; providerObject gives ` +
                (objects === 1
                    ? "one object per kind, so a run serializes 5"
                    : `a new object per resource, so every preview and up serializes all ${resources}`),
        });
        printFigures(
            `Engine harness, parallelism ${4 * os.availableParallelism()} (Pulumi's default on ${os.availableParallelism()} CPUs)`,
            settings,
            figures,
            log,
        );
        return figures;
    } finally {
        dispose();
        await emu.stop();
    }
}
