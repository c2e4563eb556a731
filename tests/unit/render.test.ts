import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { withTitlePrefix } from "~/web/render.server";

async function through(prefix: string, chunks: string[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks.map((c) => Buffer.from(c))).pipe(withTitlePrefix(prefix))) out.push(chunk as Buffer);
  return Buffer.concat(out).toString();
}

describe("a refused staff form's title", () => {
  const page = "<!DOCTYPE html><html><head><title>Paramètres – Saint-Damien</title></head><body><svg><title>Logo</title></svg></body></html>";

  it("starts with the prefix, wherever the chunks of the page break, and nothing else changes", async () => {
    const expected = page.replace("<title>Paramètres", "<title>Erreur : Paramètres");
    for (let cut = 1; cut < page.length; cut += 7) expect(await through("Erreur : ", [page.slice(0, cut), page.slice(cut)])).toBe(expected);
    expect(await through("Erreur : ", page.split(""))).toBe(expected);
  });

  it("is escaped, and a page without a title passes unchanged", async () => {
    expect(await through("<b>", ["<head><title>x</title>"])).toBe("<head><title>&lt;b&gt;x</title>");
    expect(await through("Error: ", ["<head></head><body>no title</body>"])).toBe("<head></head><body>no title</body>");
    // A title in the body (an SVG's) is not the page's, however the page is cut into chunks.
    const body = `<head><meta charset="utf-8"></head><body>${"x".repeat(40_000)}<svg><title>Logo</title></svg></body>`;
    const chunks = body.match(/[\s\S]{1,8192}/g)!;
    expect(await through("Error: ", chunks)).toBe(body);
    expect(await through("Error: ", body.split(""))).toBe(body);
  });
});
