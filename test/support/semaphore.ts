/** Lets at most `limit` of the functions given to `run` be in flight at once; the rest wait their turn in order. */
export class Semaphore {
    private active = 0;
    private readonly waiting: (() => void)[] = [];
    constructor(private readonly limit: number) {}
    async run<T>(f: () => Promise<T>): Promise<T> {
        if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.active++;
        try {
            return await f();
        } finally {
            this.active--;
            this.waiting.shift()?.();
        }
    }
}
