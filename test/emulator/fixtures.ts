import { argon2Defaults } from "./hashing";
import { type Store, type UserRecord, formatDate, newUserRecord } from "./store";

/**
 * Puts users straight into the store (no HTTP), for tests and benchmarks that need thousands of them.
 * Each gets a distinct email; `fields` may override anything else.
 */
export function insertUsers(
    store: Store,
    count: number,
    prefix: string,
    fields: (i: number) => Partial<UserRecord> = () => ({}),
): UserRecord[] {
    const base = Date.parse("2026-01-01T00:00:00.000Z");
    const out: UserRecord[] = [];
    for (let i = 0; i < count; i++) {
        const at = formatDate(base + i * 1000);
        const created = newUserRecord(
            {
                $id: `${prefix}${String(i).padStart(5, "0")}`,
                seq: store.nextSeq(),
                name: `User ${i}`,
                password: null,
                hash: "argon2",
                hashOptions: argon2Defaults(),
                passwordUpdate: null,
                email: `${prefix}${i}@example.org`,
                phone: null,
            },
            at,
        );
        const user: UserRecord = { ...created, ...fields(i) };
        store.insertUser(user);
        out.push(user);
    }
    return out;
}
