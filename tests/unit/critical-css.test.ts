import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postcss from "postcss";
import { describe, expect, it } from "vitest";
import { extractCritical, residentSources } from "../../scripts/build-critical-css.mjs";

const appCss = readFileSync("app/styles/app.css", "utf8");

/** The class names written literally in a file's `className="…"` attributes. */
function literalClasses(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/className="([^"]+)"/g)].flatMap((m) => m[1].split(/\s+/));
}

describe("critical CSS of resident pages", () => {
  it("keeps the rules a page can match, drops print and what names only absent classes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "critical-"));
    const page = path.join(dir, "Page.tsx");
    writeFileSync(page, '<main className="used"><h1>Title</h1></main>');
    const css = [
      ":root{--x: 1px}",
      "h1{font-size:2rem}",
      ".used{color:red}",
      ".unused{color:blue}",
      ".used .unused{color:green}",
      ":focus-visible{outline:3px solid}",
      "@media print{.used{color:black}}",
      "@media (min-width:40rem){.used{margin:0}.unused{margin:1px}}",
    ].join("");
    expect(await extractCritical(css, [page])).toBe(
      ":root{--x: 1px}h1{font-size:2rem}.used{color:red}:focus-visible{outline:3px solid}@media (min-width:40rem){.used{margin:0}}",
    );
  });

  it("is the same bytes every time", async () => {
    const sources = residentSources();
    expect(await extractCritical(appCss, sources)).toBe(await extractCritical(appCss, sources));
  });

  it("reads the layout, the resident routes and their components, never a staff page", () => {
    const sources = residentSources();
    expect(sources).toContain("app/root.tsx");
    expect(sources).toContain("app/routes/resident/consultation.tsx");
    expect(sources).toContain("app/components/Questionnaire.tsx");
    expect(sources).toContain("app/service-worker/enhance.ts");
    expect(sources.filter((f) => f.includes("staff"))).toEqual([]);
  });

  it("from app.css: every class a resident page writes, no staff-only rule, no print rule", async () => {
    const critical = await extractCritical(appCss, residentSources());
    const used = new Set(residentSources().flatMap(literalClasses));
    expect(used.size).toBeGreaterThan(20);
    // Classes that begin a selector of a screen rule in app.css (`.lede`, `.choice input`), so apply on their own.
    const leading = new Set<string>();
    postcss.parse(appCss).walkRules((rule) => {
      if (rule.parent?.type === "atrule" && /print/.test((rule.parent as postcss.AtRule).params)) return;
      for (const selector of rule.selectors) {
        const first = /^\.([\w-]+)/.exec(selector);
        if (first) leading.add(first[1]);
      }
    });
    const styled = [...used].filter((c) => leading.has(c));
    expect(styled.length).toBeGreaterThan(15);
    for (const c of styled) expect(critical, c).toMatch(new RegExp(`\\.${c}(?![\\w-])`));
    for (const staffOnly of [".staff-nav", ".letter-head", "table.figures", ".question-editor", ".whoami"]) expect(critical).not.toContain(staffOnly);
    expect(critical).not.toMatch(/@media\s*print/);
    expect(critical).toContain(":focus-visible");
  });
});
