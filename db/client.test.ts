import { describe, expect, it } from "vitest";
import { Breaker, isDatabaseUnavailable } from "./client";

const unreachable = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));

describe("Breaker", () => {
  it("lets calls through while the database answers", async () => {
    const breaker = new Breaker();
    expect(await breaker.guard(async () => 1)).toBe(1);
    await expect(breaker.guard(() => Promise.reject(Object.assign(new Error("duplicate"), { code: "23505" })))).rejects.toThrow("duplicate");
    expect(await breaker.guard(async () => 2)).toBe(2);
  });

  it("after an unreachable database, refuses at once while one call finds out, then closes again", async () => {
    const breaker = new Breaker();
    await expect(breaker.guard(unreachable)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    let release!: (value: string) => void;
    const probe = breaker.guard(() => new Promise<string>((resolve) => (release = resolve)));
    const refused = await breaker.guard(async () => "not run").catch((error: unknown) => error);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    release("back");
    expect(await probe).toBe("back");
    expect(await breaker.guard(async () => "flowing")).toBe("flowing");
  });

  it("stays open while probes keep failing", async () => {
    const breaker = new Breaker();
    await expect(breaker.guard(unreachable)).rejects.toBeTruthy();
    await expect(breaker.guard(unreachable)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(await breaker.guard(async () => "ok")).toBe("ok");
  });
});
