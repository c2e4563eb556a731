/**
 * Where a list page lands after an action (`?at=…#…`, app/components/fragments.ts): the ids of the
 * elements acted on, the first being the fragment; the answers among them stay on the page.
 */
import { describe, expect, it } from "vitest";
import { answerFragment, landing, landingAt, themeFragment } from "~/components/fragments";
import { urls } from "~/urls";

describe("landing", () => {
  it("reads back what a redirect wrote: the first element, and the answers kept on the page", () => {
    const theme = "0b5c8f3e-6a1d-4c2e-9f7a-1d2e3f4a5b6c";
    expect(landing(landingAt([answerFragment(12), answerFragment(7)]))).toEqual({ first: "answer-12", ids: ["answer-12", "answer-7"], answers: [12, 7] });
    expect(landing(landingAt([themeFragment(theme)]))).toEqual({ first: `theme-${theme}`, ids: [`theme-${theme}`], answers: [] });
    expect(landing(landingAt(["suggestions"]))).toEqual({ first: "suggestions", ids: ["suggestions"], answers: [] });
  });

  it("survives the address as it is: nothing in the list is encoded", () => {
    const address = urls.staff.themes("en", "s", { at: landingAt([answerFragment(3), answerFragment(4)]), done: "themes-tag", hash: answerFragment(3) });
    expect(address).toBe("/en/staff/consultations/s/themes?at=answer-3.answer-4&done=themes-tag#answer-3");
    expect(landing(new URL(address, "http://x").searchParams.get("at"))).toMatchObject({ first: "answer-3", answers: [3, 4] });
  });

  it("ignores what cannot be an id, and keeps a bounded number", () => {
    expect(landing(null)).toEqual({ first: null, ids: [], answers: [] });
    expect(landing("")).toEqual({ first: null, ids: [], answers: [] });
    expect(landing("<script>.answer-0.answer-99999999999999999.answer-x.answer-5")).toMatchObject({ first: "answer-0", answers: [5] });
    expect(landing(Array.from({ length: 500 }, (_, i) => answerFragment(i + 1)).join(".")).answers).toHaveLength(100);
  });
});
