import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { withoutNulBytes } from "./render.server";

/** Renders `element` through React's stream, then through `through`, and gives the bytes. */
function render(element: JSX.Element, through: () => NodeJS.ReadWriteStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(element, {
      onAllReady() {
        const out = through();
        const chunks: Buffer[] = [];
        out.on("data", (c: Buffer) => chunks.push(c));
        out.on("end", () => resolve(Buffer.concat(chunks)));
        out.on("error", reject);
        pipe(out as unknown as NodeJS.WritableStream);
      },
      onShellError: reject,
    });
  });
}

/**
 * Pages of many short texts (React writes each into its 2,048-byte view), shifted a byte at a
 * time so that their multi-byte characters land on every offset around 2,048 and 4,096.
 */
function pages(): { pad: number; items: string[] }[] {
  const out: { pad: number; items: string[] }[] = [];
  for (const word of ["é", "€", "😀", "marché"]) {
    for (let pad = 0; pad < 24; pad++) out.push({ pad, items: Array.from({ length: 160 }, (_, i) => `${word.repeat(1 + (i % 5))} n° ${i}`) });
  }
  return out;
}

const Page = ({ pad, items }: { pad: number; items: string[] }) => (
  <html lang="fr">
    <body>
      <p>{"x".repeat(pad)}</p>
      <ul>
        {items.map((item) => (
          <li key={item} aria-label={item}>
            {item}
          </li>
        ))}
      </ul>
    </body>
  </html>
);

describe("pages as bytes", () => {
  it("React's own stream puts NUL bytes where a character meets a 2,048-byte boundary (the bug this works around)", async () => {
    let seen = 0;
    for (const page of pages()) if ((await render(<Page {...page} />, () => new PassThrough())).includes(0)) seen++;
    expect(seen).toBeGreaterThan(0);
  });

  it("are valid UTF-8 without a NUL, whatever text crosses a boundary, and say exactly what was rendered", async () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    for (const page of pages()) {
      const bytes = await render(<Page {...page} />, withoutNulBytes);
      expect(bytes.includes(0)).toBe(false);
      const html = strict.decode(bytes);
      for (const item of page.items) expect(html).toContain(`<li aria-label="${item}">${item}</li>`);
    }
  });
});
