import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, expect, test } from "@playwright/test";

for (const lang of ["fr", "en"] as const) {
  test(`/${lang} is installable: Chromium reports no installability error`, async ({ request, baseURL, launchOptions }) => {
    // A browser profile on disk, as a person's: Chromium never offers to install from an incognito context.
    const profile = mkdtempSync(join(tmpdir(), "quorum-install-"));
    // This project's browser: the whole Chromium (decision 071), as a person installs from.
    const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
    const page = await context.newPage();
    await page.goto(`/${lang}`);
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    expect(href).toBe(`/${lang}/manifest.webmanifest`);
    const manifest = (await (await request.get(href!)).json()) as Record<string, unknown>;
    expect(manifest).toMatchObject({ start_url: `/${lang}`, display: "standalone", lang, theme_color: "#0b4f8a" });
    const icons = manifest.icons as { src: string; sizes: string; purpose: string }[];
    expect(icons.some((i) => i.purpose === "maskable")).toBe(true);
    for (const icon of icons) {
      const res = await request.get(icon.src);
      expect(res.headers()["content-type"]).toBe("image/png");
      // The PNG's own header says its size (bytes 16–23: width and height).
      const png = await res.body();
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    }
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => ((await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: unknown[] }).installabilityErrors, { timeout: 20_000 })
      .toEqual([]);
    const { errors } = (await cdp.send("Page.getAppManifest")) as { errors: unknown[] };
    expect(errors).toEqual([]);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
}
