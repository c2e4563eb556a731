/**
 * Critical CSS for resident pages, after `remix build` (docs/decisions/025-first-render-in-one-request.md).
 *
 * Input: the hashed stylesheet the build names (public/build/_assets/app-*.css, from
 * app/styles/app.css). Output: build/critical-css.json — the stylesheet's URL, the CSS a
 * resident page inlines in a <style> element (the server works out its CSP hash when it starts).
 *
 * The critical part is extracted, never hand-picked: PurgeCSS keeps the rules whose
 * selectors name only elements, classes and ids that occur in the files that render resident
 * pages (the layout, the non-staff routes, their components, the enhancement script), and
 * every `@media print` block is dropped (print is never the first render). The same input
 * always gives the same bytes.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import postcss from "postcss";
import { PurgeCSS } from "purgecss";

/** The files whose words decide which rules a resident page may need. */
export function residentSources() {
  // Every page route but the staff area's (app/routes/staff/).
  const routes = readdirSync("app/routes", { recursive: true })
    .map(String)
    .filter((f) => /\.tsx$/.test(f) && !/\.test\.tsx$/.test(f) && !f.startsWith("staff/"))
    .map((f) => `app/routes/${f}`);
  const components = readdirSync("app/components")
    .filter((f) => /\.tsx$/.test(f) && !/\.test\.tsx$/.test(f))
    .map((f) => `app/components/${f}`);
  return ["app/root.tsx", ...routes, ...components, "app/service-worker/enhance.ts"].sort();
}

/** Source text without its comments (block, JSX and line comments; a `://` in an address stays). */
export function withoutComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|[^:])\/\/[^\n]*/gm, "$1");
}

/** The critical CSS for a stylesheet's text: rules resident pages can match, print left out. */
export async function extractCritical(css, sources) {
  const noPrint = postcss.parse(css);
  noPrint.walkAtRules("media", (rule) => {
    if (/^\s*print\s*$/i.test(rule.params)) rule.remove();
  });
  // A rule that names no element, class, id or attribute (`:focus-visible`, `*`) can match
  // anything: PurgeCSS would drop it, so it is marked to be kept as it is.
  noPrint.walkRules((rule) => {
    if (rule.selectors.every((s) => s.replace(/::?[\w-]+(\([^)]*\))?/g, "").replace(/[\s*>+~,]/g, "") === "")) {
      rule.before(postcss.comment({ text: "purgecss ignore" }));
    }
  });
  const [result] = await new PurgeCSS().purge({
    // Comments are left out: a word in a comment ("figures") is not a class a page writes.
    content: sources.map((file) => ({ raw: withoutComments(readFileSync(file, "utf8")), extension: file.split(".").pop() })),
    css: [{ raw: noPrint.toString() }],
    // Custom properties, keyframes and font faces stay: the kept rules may use them.
    variables: false,
    keyframes: false,
    fontFace: false,
  });
  const out = postcss.parse(result.css);
  out.walkComments((comment) => comment.remove());
  return out.toString().trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const serverBuild = readFileSync("build/index.js", "utf8");
  const names = [...new Set(serverBuild.match(/\/build\/_assets\/app-[\w-]+\.css/g) ?? [])];
  if (names.length !== 1) throw new Error(`build-critical-css: expected one app stylesheet in build/index.js, found ${names.length}`);
  const [stylesheet] = names;
  const css = await extractCritical(readFileSync(`public${stylesheet}`, "utf8"), residentSources());
  if (css.length === 0) throw new Error("build-critical-css: the critical CSS came out empty");
  writeFileSync("build/critical-css.json", `${JSON.stringify({ stylesheet, css }, null, 2)}\n`);
}
