import { describe, expect, it } from "vitest";
import { groupRare, groupRuns, groupScale, withheldAlone } from "./disclosure";

const cells = (...ns: number[]) => ns.map((n, i) => ({ key: String.fromCharCode(97 + i), n }));
const shape = (parts: { keys: string[]; n: number }[] | null) => parts?.map((p) => `${p.keys.join("+")}=${p.n}`) ?? null;

describe("grouping a table whose cells add up (one answer each)", () => {
  it("shows every cell alone when none is from 1 to k − 1 (a 0 is shown)", () => {
    expect(shape(groupRare(cells(10, 0, 5, 7), 5))).toEqual(["a=10", "b=0", "c=5", "d=7"]);
  });

  it("groups the rare answers into one cell naming them, last", () => {
    expect(shape(groupRare(cells(10, 2, 3, 8), 5))).toEqual(["a=10", "d=8", "b+c=5"]);
  });

  it("adds the smallest other answer while the group is under k", () => {
    expect(shape(groupRare(cells(10, 2, 6), 5))).toEqual(["a=10", "b+c=8"]);
  });

  it("adds one more when someone knowing the rule could pin a member (two rare cells summing to 8 are 4 and 4)", () => {
    expect(shape(groupRare(cells(4, 4, 9, 12), 5))).toEqual(["d=12", "a+b+c=17"]);
  });

  it("adds one more when the joining answer's value is pinned by the smallest one shown (1 beside 5 with 6 shown)", () => {
    // {1, 5} = 6: the 5 is at least k and at most 6 − 1, so exactly 5, and the 1 follows: 6 joins, and nothing can be split.
    expect(groupRare(cells(5, 1, 6), 5)).toBeNull();
  });

  it("joins neighbours into runs of at least k when every answer is rare", () => {
    expect(shape(groupRare(cells(4, 2, 2, 3), 5))).toEqual(["a+b=6", "c+d=5"]);
    expect(shape(groupRuns(cells(1, 4, 3, 0, 3), 5))).toEqual(["a+b=5", "c+d+e=6"]);
    // A short last run joins the one before; a single run is no split.
    expect(shape(groupRuns(cells(3, 2, 1), 5))).toEqual(null);
    expect(shape(groupRuns(cells(3, 2, 4, 1), 5))).toEqual(["a+b=5", "c+d=5"]);
  });
});

describe("grouping a scale", () => {
  it("keeps every value when it can, then three levels, then two sides", () => {
    expect(groupScale([5, 6, 0, 7, 9], null, 5)).toEqual({
      parts: [["1"], ["2"], ["3"], ["4"], ["5"]].map((keys, i) => ({ keys, n: [5, 6, 0, 7, 9][i] })),
      fine: true,
    });
    expect(shape(groupScale([2, 3, 5, 4, 4], null, 5)!.parts)).toEqual(["1+2=5", "3=5", "4+5=8"]);
    expect(shape(groupScale([2, 3, 2, 4, 4], null, 5)!.parts)).toEqual(["1+2+3=7", "4+5=8"]);
    expect(groupScale([2, 3, 2, 4, 4], null, 5)!.fine).toBe(false);
  });

  it("a rare prefer-not joins a part; when no grouping holds, neighbours make runs", () => {
    expect(shape(groupScale([5, 6, 0, 7, 9], 2, 5)!.parts)).toEqual(["2=6", "3=0", "4=7", "5=9", "1+prefer_not=7"]);
    expect(shape(groupScale([2, 3, 2, 1, 3], 1, 5)!.parts)).toEqual(["1+2=5", "3+4+5+prefer_not=7"]);
  });
});

describe("a cell of a table that does not add up (several answers each)", () => {
  it("reads fewer than k, or all but fewer than k, else is shown", () => {
    expect(withheldAlone(3, 20, 5)).toBe("fewer");
    expect(withheldAlone(17, 20, 5)).toBe("all_but_fewer");
    expect(withheldAlone(20, 20, 5)).toBeNull();
    expect(withheldAlone(0, 20, 5)).toBeNull();
    expect(withheldAlone(10, 20, 5)).toBeNull();
  });
});
