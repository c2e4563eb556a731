import { describe, expect, it } from "vitest";
import { suppressedCells } from "./disclosure";

const run = (counts: Record<string, number>, tables: { total: string; cells: string[] }[], k = 5) =>
  [...suppressedCells(new Map(Object.entries(counts)), tables, k)].sort();

describe("small-count suppression", () => {
  it("withholds counts from 1 to k − 1, never 0 or k", () => {
    expect(run({ a: 0, b: 1, c: 4, d: 5 }, [])).toEqual(["b", "c"]);
  });

  it("withholds the next smallest non-zero cell when one cell of a table is withheld", () => {
    expect(run({ t: 60, a: 2, b: 0, c: 30, d: 28 }, [{ total: "t", cells: ["a", "b", "c", "d"] }])).toEqual(["a", "d"]);
  });

  it("withholds the total when no other cell is left, and follows it into the tables it totals", () => {
    // t = a + z with z = 0: a is t. t is also the total of u + v.
    const got = run({ t: 3, a: 3, z: 0, u: 40, v: 37 }, [
      { total: "t", cells: ["a", "z"] },
      { total: "t", cells: ["u", "v"] },
    ]);
    expect(got).toEqual(["a", "t", "v"]);
  });

  it("leaves a table with two or more withheld cells alone", () => {
    expect(run({ t: 50, a: 2, b: 3, c: 45 }, [{ total: "t", cells: ["a", "b", "c"] }])).toEqual(["a", "b"]);
  });
});
