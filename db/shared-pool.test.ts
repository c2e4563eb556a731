/**
 * How the shared connections hand themselves to statements that wait (decision 075), on
 * connections that stand in for postgres.js and record what each was sent: no database needed.
 * What runs in PostgreSQL, as which commune, is tests/integration/shared-pool.test.ts's.
 */
import type { Sql } from "postgres";
import { describe, expect, it } from "vitest";
import { sharedPool, WAIT_BEFORE_MORE_MS } from "./shared-pool";

/** Connections that record what they are sent; "sleep N" takes N ms, anything else settles at once. */
function stand(options: { failOpening?: (n: number) => boolean } = {}) {
  const sent: string[][] = [];
  const make = () => {
    if (options.failOpening?.(sent.length + 1)) throw new Error("could not open a connection");
    const mine: string[] = [];
    sent.push(mine);
    const unsafe = (text: string, params?: unknown[]) => {
      mine.push(text.startsWith("select set_config") ? `commune ${String(params?.[0])}` : text);
      const ms = Number(/sleep (\d+)/.exec(text)?.[1] ?? 0);
      const result = new Promise((resolve) => setTimeout(() => resolve([]), ms));
      return Object.assign(result, { values: () => result });
    };
    return { options: { connection: {} }, unsafe, end: async () => {} } as unknown as Sql;
  };
  return { sent, make };
}

type Client = { unsafe(text: string): PromiseLike<unknown> };
const run = (pool: ReturnType<typeof sharedPool>, commune: number, text: string) => Promise.resolve((pool.clientFor(commune) as Client).unsafe(text));

describe("shared connections: statements that wait", () => {
  it("are handed the connection in the order they came, each after the commune before it has settled", async () => {
    const { sent, make } = stand();
    const pool = sharedPool(make, 1);
    const done: string[] = [];
    const first = run(pool, 1, "sleep 40 (1)").then(() => done.push("1"));
    const rest = [2, 3, 4, 5].map((commune) => run(pool, commune, `sleep 5 (${commune})`).then(() => done.push(String(commune))));
    await Promise.all([first, ...rest]);
    expect(sent).toEqual([
      ["commune 1", "sleep 40 (1)", "commune 2", "sleep 5 (2)", "commune 3", "sleep 5 (3)", "commune 4", "sleep 5 (4)", "commune 5", "sleep 5 (5)"],
    ]);
    expect(done).toEqual(["1", "2", "3", "4", "5"]);
    expect(pool.stats()).toMatchObject({ connections: 1, switchesInFlight: 0 });
  });

  it("are told when the connections are ended, and the statement in flight still settles", async () => {
    const { make } = stand();
    const pool = sharedPool(make, 1);
    const inFlight = run(pool, 1, "sleep 30");
    const waiting = run(pool, 2, "select 2");
    await new Promise((resolve) => setTimeout(resolve, 5)); // both sent for: one in flight, one waiting
    await pool.end();
    await expect(waiting).rejects.toThrow("ended");
    await expect(inFlight).resolves.toEqual([]);
    await expect(run(pool, 3, "select 3")).rejects.toThrow("ended");
  });

  it("one that cannot have the connection it waited for opened is refused; the others are served", async () => {
    // The second connection cannot be opened: the statement that waited for it is refused with why,
    // and the one behind it gets the first connection once it settles.
    const { sent, make } = stand({ failOpening: (n) => n === 2 });
    const pool = sharedPool(make, 1);
    const long = run(pool, 1, `sleep ${WAIT_BEFORE_MORE_MS + 100}`);
    const refused = run(pool, 2, "select 2");
    await expect(refused).rejects.toThrow("could not open a connection");
    const after = run(pool, 3, "select 3");
    await Promise.all([long, after]);
    expect(sent).toEqual([["commune 1", `sleep ${WAIT_BEFORE_MORE_MS + 100}`, "commune 3", "select 3"]]);
  });
});
