import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { compressAroundSlot, gzipWithFill } from "./gzip-slot";

describe("a gzip body with a hole for the submission id", () => {
  it("decodes, with a strict decoder, to the page with each id in place", () => {
    const prefix = Buffer.from(
      `<!DOCTYPE html><html lang="fr"><body>${"Capteurs de qualité de l’air, marché ".repeat(300)}<input name="submission_id" value="`,
    );
    const suffix = Buffer.from(`"><p>${"Réponses anonymes 😀 ".repeat(400)}</p></body></html>`);
    const parts = compressAroundSlot(prefix, suffix);
    for (let i = 0; i < 20; i++) {
      const id = crypto.randomUUID();
      const body = Buffer.concat(gzipWithFill(parts, Buffer.from(id)));
      const text = gunzipSync(body).toString("utf8");
      expect(text).toBe(`${prefix.toString()}${id}${suffix.toString()}`);
    }
  });

  it("works at the edges: an empty head or tail, and a page bigger than a deflate window", () => {
    const big = Buffer.from(Array.from({ length: 50_000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 90))).join(""));
    for (const [prefix, suffix] of [
      [Buffer.alloc(0), big],
      [big, Buffer.alloc(0)],
      [big, big],
    ]) {
      const body = Buffer.concat(gzipWithFill(compressAroundSlot(prefix, suffix), Buffer.from("id")));
      expect(gunzipSync(body).equals(Buffer.concat([prefix, Buffer.from("id"), suffix]))).toBe(true);
    }
  });

  it("is much smaller than the page", () => {
    const prefix = Buffer.from("<p>Données collectées : passages de piétons</p>".repeat(200));
    const parts = compressAroundSlot(prefix, prefix);
    const size = Buffer.concat(gzipWithFill(parts, Buffer.from(crypto.randomUUID()))).length;
    expect(size).toBeLessThan(prefix.length / 10);
  });
});
