import { describe, expect, it } from "vitest";
import { effectOf } from "./confirm";

const now = new Date("2026-11-28T10:00:00Z");
const dec1 = new Date("2026-12-01T08:00:00Z");
const dec20 = new Date("2026-12-20T17:00:00Z");
const nov1 = new Date("2026-11-01T17:00:00Z");

describe("what opening or closing by hand will change", () => {
  it("opening a draft scheduled for 1 December says that date will be ignored, and keeps the closing date", () => {
    expect(effectOf({ status: "draft", opensAt: dec1, closesAt: dec20 }, "open", 0, now)).toEqual({
      intent: "open",
      ignoredOpening: dec1,
      removedClosing: null,
      closesAt: dec20,
    });
  });

  it("opening with a closing date already past says that date will be removed", () => {
    expect(effectOf({ status: "draft", opensAt: null, closesAt: nov1 }, "open", 0, now)).toEqual({
      intent: "open",
      ignoredOpening: null,
      removedClosing: nov1,
      closesAt: null,
    });
  });

  it("an opening date already past is not one that opening ignores", () => {
    expect(effectOf({ status: "draft", opensAt: nov1, closesAt: null }, "open", 0, now)).toMatchObject({ ignoredOpening: null });
  });

  it("closing says how many answers were received and which scheduled closing is brought forward", () => {
    expect(effectOf({ status: "open", opensAt: nov1, closesAt: dec20 }, "close", 7, now)).toEqual({ intent: "close", answers: 7, broughtForward: dec20 });
    expect(effectOf({ status: "open", opensAt: null, closesAt: null }, "close", 0, now)).toEqual({ intent: "close", answers: 0, broughtForward: null });
  });

  it("reopening a closed consultation removes its past closing date", () => {
    expect(effectOf({ status: "closed", opensAt: nov1, closesAt: nov1 }, "reopen", 3, now)).toMatchObject({ intent: "reopen", removedClosing: nov1 });
  });

  it("a move the status does not allow has no effect to confirm", () => {
    expect(effectOf({ status: "open", opensAt: null, closesAt: null }, "open", 0, now)).toBeNull();
    expect(effectOf({ status: "draft", opensAt: null, closesAt: null }, "close", 0, now)).toBeNull();
    expect(effectOf({ status: "archived", opensAt: null, closesAt: null }, "reopen", 0, now)).toBeNull();
  });
});
