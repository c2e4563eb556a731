import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../locales");
type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const load = (lang: string, file: string) => flatten(JSON.parse(readFileSync(path.join(root, lang, file), "utf8")));
const variables = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  const files = readdirSync(path.join(root, "fr")).sort();

  it("French and English have the same files", () => {
    expect(readdirSync(path.join(root, "en")).sort()).toEqual(files);
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${file}: every key exists in both languages, filled, with the same placeholders`, () => {
      const fr = load("fr", file);
      const en = load("en", file);
      expect(
        [...fr.keys()].filter((k) => !en.has(k)),
        "keys missing in English",
      ).toEqual([]);
      expect(
        [...en.keys()].filter((k) => !fr.has(k)),
        "keys missing in French",
      ).toEqual([]);
      for (const [key, text] of fr) {
        expect(text.trim(), `fr ${key} is empty`).not.toBe("");
        expect(en.get(key)!.trim(), `en ${key} is empty`).not.toBe("");
        expect(variables(en.get(key)!), `placeholders of ${key}`).toEqual(variables(text));
      }
    });
  }

  it("every literal key the code asks for exists (message tables included)", () => {
    const fr = load("fr", "common.json");
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.includes(".test."))
          for (const m of readFileSync(p, "utf8").matchAll(/\bt\(\s*"([a-zA-Z]+\.[a-zA-Z.]+)"|"((?:staffErrors|errors)\.[a-zA-Z]+)"/g)) used.add(m[1] ?? m[2]);
      }
    };
    walk(path.resolve(__dirname, "../../app"));
    expect(used.size).toBeGreaterThan(20);
    const exists = (k: string) => fr.has(k) || (fr.has(`${k}_one`) && fr.has(`${k}_other`));
    expect([...used].filter((k) => !exists(k))).toEqual([]);
  });

  it("every message key a staff form can answer exists under staffErrors", () => {
    const fr = load("fr", "common.json");
    const app = path.resolve(__dirname, "../../app");
    const files = [
      path.join(app, "domain/consultations/schema.server.ts"),
      path.join(app, "domain/audit/filter.server.ts"),
      ...readdirSync(path.join(app, "routes/staff"), { recursive: true })
        .map(String)
        .filter((f) => /\.tsx?$/.test(f))
        .map((f) => path.join(app, "routes/staff", f)),
      ...readdirSync(path.join(app, "components/staff"), { recursive: true })
        .map(String)
        .filter((f) => /\.tsx?$/.test(f))
        .map((f) => path.join(app, "components/staff", f)),
    ];
    const keys = new Set<string>();
    const patterns = [/\b(?:key|message|error): "([a-zA-Z]+)"/g, /\.(?:max|min|int|regex|refine)\([^()]*?,\s*"([a-zA-Z]+)"\)/g];
    for (const file of files)
      for (const pattern of patterns) for (const m of readFileSync(file, "utf8").matchAll(pattern)) for (const k of m.slice(1)) if (k) keys.add(k);
    expect(keys.size).toBeGreaterThan(25);
    // A key used with a count exists as its plural forms (i18next: `_one`, `_other`).
    const exists = (k: string) => fr.has(`staffErrors.${k}`) || (fr.has(`staffErrors.${k}_one`) && fr.has(`staffErrors.${k}_other`));
    expect([...keys].filter((k) => !exists(k))).toEqual([]);
  });
});
