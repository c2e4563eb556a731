import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeFor, routeTree } from "../../../tests/helpers/routes";
import {
  accessibilityStatement,
  ASSESSED_ON,
  AXE_VERSION,
  conformance,
  conformanceStatus,
  CRITERIA,
  DEFECTS,
  FIRST_PUBLISHED_ON,
  resultsByTheme,
  SAMPLE,
  THEMES,
  UNCHECKED,
  type Criterion,
} from "./audit";

/** How many criteria each RGAA 4.1 topic has, images to consultation (the RGAA's own list). */
const RGAA_4_1_TOPIC_SIZES = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12];

describe("the criteria", () => {
  it("are RGAA 4.1's 106, each once, in the RGAA's order", () => {
    const expected = RGAA_4_1_TOPIC_SIZES.flatMap((size, topic) => Array.from({ length: size }, (_, i) => `${topic + 1}.${i + 1}`));
    expect(expected).toHaveLength(106);
    expect(CRITERIA.map((c) => c.id)).toEqual(expected);
    expect(THEMES).toHaveLength(RGAA_4_1_TOPIC_SIZES.length);
  });

  it("name why each one is not met, and every reason listed holds back at least one", () => {
    const reasons = new Set<string>([...DEFECTS, ...UNCHECKED]);
    for (const c of CRITERIA) if (c.result === "nonConformant") expect(reasons.has(c.because), c.id).toBe(true);
    for (const reason of reasons)
      expect(
        CRITERIA.some((c) => c.result === "nonConformant" && c.because === reason),
        reason,
      ).toBe(true);
  });
});

describe("the conformance rate", () => {
  it("is the criteria met over the criteria that apply, counted here from the list itself", () => {
    let met = 0;
    let notMet = 0;
    let notApplicable = 0;
    for (const c of CRITERIA) {
      if (c.result === "conformant") met += 1;
      else if (c.result === "nonConformant") notMet += 1;
      else notApplicable += 1;
    }
    expect(met + notMet + notApplicable).toBe(106);
    const got = conformance();
    expect(got).toMatchObject({ conformant: met, nonConformant: notMet, notApplicable, applicable: met + notMet });
    expect(got.rate).toBeCloseTo((met / (met + notMet)) * 100, 10);
  });

  it("leaves out the criteria that do not apply, and counts a criterion not met as not met", () => {
    const list: Criterion[] = [
      { id: "1.1", result: "conformant", by: "axe" },
      { id: "1.2", result: "conformant", by: "code" },
      { id: "1.3", result: "conformant", by: "browser" },
      { id: "3.1", result: "nonConformant", because: "judgement" },
      { id: "2.1", result: "notApplicable" },
      { id: "2.2", result: "notApplicable" },
    ];
    expect(conformance(list)).toEqual({ conformant: 3, nonConformant: 1, notApplicable: 2, applicable: 4, rate: 75 });
    expect(conformance(list.slice(0, 2)).rate).toBe(100);
    expect(conformance([list[3], list[4]]).rate).toBe(0);
    expect(() => conformance([list[4], list[5]])).toThrow();
  });

  it("gives the RGAA's status: full at 100 %, partial from 50 %, none below", () => {
    expect(conformanceStatus(100)).toBe("full");
    expect(conformanceStatus(99.9)).toBe("partial");
    expect(conformanceStatus(50)).toBe("partial");
    expect(conformanceStatus(49.99)).toBe("none");
    expect(conformanceStatus(0)).toBe("none");
    expect(conformanceStatus()).toBe(conformanceStatus(conformance().rate));
  });

  it("sorts each topic's criteria by result, and the topics add up to the whole list", () => {
    const themes = resultsByTheme();
    expect(themes.map((t) => t.conformant.length + t.nonConformant.length + t.notApplicable.length)).toEqual(RGAA_4_1_TOPIC_SIZES);
    expect(themes.flatMap((t) => t.conformant)).toEqual(CRITERIA.filter((c) => c.result === "conformant").map((c) => c.id));
    expect(themes.find((t) => t.theme === "multimedia")!.notApplicable).toHaveLength(13);
  });
});

describe("the sample", () => {
  /** The module that must answer each page of the sample: not the "not found" catch-all. */
  const ROUTE: Record<string, string> = {
    home: "routes/resident/home.tsx",
    consultation: "routes/resident/consultation.tsx",
    errors: "routes/resident/consultation.tsx",
    thanks: "routes/resident/thanks.tsx",
    receipt: "routes/resident/receipt.tsx",
    results: "routes/resident/results.tsx",
    privacy: "routes/resident/privacy.tsx",
    accessibility: "routes/resident/accessibility.tsx",
    openData: "routes/open-data/list.tsx",
    offline: "routes/resident/offline.tsx",
    staffLogin: "routes/staff/account/login.tsx",
    staffList: "routes/staff/home.tsx",
    builder: "routes/staff/consultations/questions.tsx",
    moderation: "routes/staff/consultations/moderation.tsx",
    themes: "routes/staff/consultations/themes.tsx",
    settings: "routes/staff/admin/settings.tsx",
    paper: "routes/staff/consultations/paper.tsx",
    codes: "routes/staff/consultations/codes.tsx",
  };

  it("is not empty, names each page once, residents' and staff pages both", () => {
    expect(SAMPLE.length).toBeGreaterThan(10);
    expect(new Set(SAMPLE.map((p) => p.key)).size).toBe(SAMPLE.length);
    expect(SAMPLE.some((p) => p.address("fr").startsWith("/fr/staff"))).toBe(true);
    expect(SAMPLE.some((p) => !p.address("fr").startsWith("/fr/staff"))).toBe(true);
  });

  it("gives addresses that Remix answers with the page's own route, in both languages", async () => {
    const { tree } = await routeTree();
    expect(SAMPLE.map((p) => p.key).sort()).toEqual(Object.keys(ROUTE).sort());
    for (const lang of ["fr", "en"] as const)
      for (const page of SAMPLE) {
        const address = page.address(lang);
        const matched = routeFor(tree, address);
        expect(matched?.file, address).toBe(ROUTE[page.key]);
        expect(matched?.params.lang, address).toBe(lang);
      }
  });
});

describe("what the statement shows", () => {
  const locale = (lang: string) =>
    JSON.parse(readFileSync(path.resolve(__dirname, `../../../locales/${lang}/common.json`), "utf8")) as {
      accessibility: Record<string, Record<string, unknown>>;
    };

  it("has a text in both languages for every topic, defect, unchecked reason and page of the sample", () => {
    for (const lang of ["fr", "en"]) {
      const a = locale(lang).accessibility;
      for (const theme of THEMES) expect(a.themes[theme], `${lang} themes.${theme}`).toMatch(/\S/);
      for (const key of DEFECTS)
        expect(a.defects[key], `${lang} defects.${key}`).toEqual({ title: expect.stringMatching(/\S/), why: expect.stringMatching(/\S/) });
      for (const key of UNCHECKED)
        expect(a.unchecked[key], `${lang} unchecked.${key}`).toEqual({ title: expect.stringMatching(/\S/), why: expect.stringMatching(/\S/) });
      for (const page of SAMPLE) expect(a.sample[page.key], `${lang} sample.${page.key}`).toMatch(/\S/);
    }
  });

  it("names the axe-core the tests run, and dates that follow each other", () => {
    const axe = JSON.parse(readFileSync(path.resolve(__dirname, "../../../node_modules/axe-core/package.json"), "utf8")) as { version: string };
    expect(AXE_VERSION).toBe(axe.version);
    for (const date of [FIRST_PUBLISHED_ON, ASSESSED_ON]) expect(new Date(`${date}T12:00:00Z`).toISOString().slice(0, 10)).toBe(date);
    expect(ASSESSED_ON >= FIRST_PUBLISHED_ON).toBe(true);
  });

  it("is plain data: the same after a trip through JSON", () => {
    const statement = accessibilityStatement("en");
    expect(JSON.parse(JSON.stringify(statement))).toEqual(statement);
    expect(statement.sample.find((p) => p.key === "receipt")!.address).toBe("/en/receipts/XXXX-XXXX");
  });
});
