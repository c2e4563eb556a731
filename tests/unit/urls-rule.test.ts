/**
 * The address rule (eslint.config.js, no-restricted-syntax) fails the lint when a path is
 * written by hand in app/ or server/ instead of built by app/urls.ts: each probe below is
 * linted as if it were a file at that path, through the project's own configuration.
 */
import { readFileSync } from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function addressErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return result.messages.filter((m) => m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("the address rule", () => {
  it.each([
    ["a route's link", "app/routes/probe.tsx", "export const P = ({ lang }: { lang: string }) => <a href={`/${lang}/receipts`}>x</a>;"],
    ["a redirect with a slug", "app/routes/probe.ts", "export const to = (lang: string, slug: string) => `/${lang}/consultations/${slug}/thanks`;"],
    ["a path in French, as a string", "app/components/probe.tsx", 'export const P = () => <a href="/fr/privacy">x</a>;'],
    ["a path in English, as a template", "app/domain/probe.ts", "export const to = (slug: string) => `/en/consultations/${slug}`;"],
    ["the English home page", "app/web/probe.ts", 'export const home = "/en";'],
    ["the server", "server/probe.ts", "export const to = (lang: string) => `/${lang}/offline`;"],
    ["the service worker", "app/service-worker/probe.ts", "export const to = (lang: string) => `/${lang}/offline/saved`;"],
  ])("refuses %s", async (_label, filePath, code) => {
    expect(await addressErrors(filePath, code)).toEqual([expect.stringContaining("app/urls.ts")]);
  });

  it.each([
    ["a builder", "app/routes/probe.tsx", 'import { urls } from "~/urls";\nexport const P = () => <a href={urls.home("fr")}>x</a>;'],
    [
      "an absolute link on the public origin",
      "app/platform/probe.ts",
      'import { urls } from "~/urls";\nexport const link = (origin: string) => `${origin}${urls.home("fr")}`;',
    ],
    ["a path that only starts like a language", "app/web/probe.ts", 'export const f = "/fresh";\nexport const g = `/entries/${f}`;'],
    ["a test checking the contract from outside", "tests/unit/probe.test.ts", "export const to = (lang: string) => `/${lang}/receipts`;"],
    ["a test beside the code", "app/domain/probe.test.ts", 'export const to = "/fr/privacy";'],
  ])("allows %s", async (_label, filePath, code) => {
    expect(await addressErrors(filePath, code)).toEqual([]);
  });

  it("does not fire on app/urls.ts, which would fail it anywhere else", async () => {
    const source = readFileSync("app/urls.ts", "utf8").trimEnd();
    expect(await addressErrors("app/urls.ts", source)).toEqual([]);
    expect((await addressErrors("app/routes/probe.ts", source)).length).toBeGreaterThan(20);
  });
});
