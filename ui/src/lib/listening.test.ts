import { keepListening } from "./listening";

/** A subscription the test resolves when it chooses. */
function later() {
  let resolve!: (u: () => void) => void;
  const promise = new Promise<() => void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("keepListening", () => {
  it("stops every listener it holds when stopped", async () => {
    const a = vi.fn();
    const b = vi.fn();
    const stop = keepListening(Promise.resolve(a), Promise.resolve(b));
    await tick();
    expect(a).not.toHaveBeenCalled();
    stop();
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    stop();
    expect(a).toHaveBeenCalledTimes(1);
  });

  it("stops a listener that arrives after the screen went away, once", async () => {
    const late = later();
    const unlisten = vi.fn();
    const stop = keepListening(late.promise);
    stop();
    late.resolve(unlisten);
    await tick();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it("leaves no unhandled rejection when stopping fails after the app is torn down", async () => {
    const rejected: unknown[] = [];
    const onRejection = (reason: unknown) => rejected.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const late = later();
      const stop = keepListening(late.promise, Promise.resolve(() => Promise.reject(new TypeError("gone")) as unknown as void));
      await tick();
      stop();
      late.resolve(() => {
        throw new TypeError("invoke is not a function");
      });
      await tick();
      await tick();
      expect(rejected).toEqual([]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });

  it("ignores a subscription that failed", async () => {
    const stop = keepListening(Promise.reject(new Error("no event system")));
    await tick();
    expect(() => stop()).not.toThrow();
  });
});
