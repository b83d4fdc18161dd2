import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_CONCURRENCY, inFlight, maxConcurrency, setMaxConcurrency } from "../../provider/appwrite/in-flight";
import { appwriteUsers } from "../../provider/appwrite/connection";
import { useEmulatedAppwrite, type EmulatedAppwrite } from "../support/appwrite";

let appwrite: EmulatedAppwrite;
useEmulatedAppwrite((started) => (appwrite = started));

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("requests in flight", () => {
    it("are at most the bound at any moment, and every one is sent in turn", async () => {
        setMaxConcurrency(3);
        let now = 0;
        let most = 0;
        const sent: number[] = [];
        await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
                inFlight(async () => {
                    now++;
                    most = Math.max(most, now);
                    sent.push(i);
                    await tick();
                    now--;
                }),
            ),
        );
        expect(most).toBe(3);
        expect(sent).toEqual(Array.from({ length: 20 }, (_, i) => i));
        setMaxConcurrency(DEFAULT_MAX_CONCURRENCY);
    });

    it("are bounded by appwrite:maxConcurrency, then APPWRITE_MAX_CONCURRENCY, then 8", async () => {
        appwrite.configure({ "appwrite:maxConcurrency": "3" });
        await appwriteUsers();
        expect(maxConcurrency()).toBe(3);
        process.env.APPWRITE_MAX_CONCURRENCY = "5";
        try {
            appwrite.configure();
            await appwriteUsers();
            expect(maxConcurrency()).toBe(5);
        } finally {
            delete process.env.APPWRITE_MAX_CONCURRENCY;
        }
        appwrite.configure();
        await appwriteUsers();
        expect(maxConcurrency()).toBe(8);
    });

    it("refuses a bound that is not a whole number from 1 to 256, naming the setting", async () => {
        appwrite.configure({ "appwrite:maxConcurrency": "0" });
        await expect(appwriteUsers()).rejects.toThrow(
            /appwrite:maxConcurrency \(or APPWRITE_MAX_CONCURRENCY\) is "0": it must be a whole number from 1 to 256/,
        );
        appwrite.configure();
    });
});
