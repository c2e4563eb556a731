import { expect, test } from "@playwright/test";
import { E2E } from "./fixtures";

test.describe("the bilingual shell", () => {
  test("/ sends the browser to its language, French when neither is asked for", async ({ request }) => {
    for (const [header, target] of [
      ["en-GB,en;q=0.9", "/en"],
      ["fr-CA,fr;q=0.9,en;q=0.5", "/fr"],
      ["de-DE,de;q=0.9", "/fr"],
      ["de,en;q=0.5", "/en"],
    ] as const) {
      const res = await request.get("/", { headers: { "Accept-Language": header }, maxRedirects: 0 });
      expect(res.status(), header).toBe(302);
      expect(res.headers()["location"], header).toBe(target);
    }
  });

  test("each language lists the demo consultation in that language and links to it", async ({ page }) => {
    await page.goto("/fr");
    await expect(page.locator("html")).toHaveAttribute("lang", "fr");
    await page.getByRole("link", { name: "Des capteurs sur la place du Marché ?", exact: true }).click();
    await expect(page).toHaveURL(`/fr/consultations/${E2E.demoSlug}`);
    await page.goto("/en");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("link", { name: "Sensors in the Market Square?", exact: true })).toHaveAttribute("href", `/en/consultations/${E2E.demoSlug}`);
  });

  test("the language switch on every page leads to the same page in the other language", async ({ page }) => {
    for (const path of ["/fr", `/fr/consultations/${E2E.demoSlug}`, "/fr/receipts", "/fr/receipts/ZZZZ-ZZZZ", "/fr/nowhere"]) {
      await page.goto(path);
      await page.getByRole("link", { name: "English" }).click();
      await expect(page).toHaveURL(path.replace(/^\/fr/, "/en"));
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await page.getByRole("link", { name: "Français" }).click();
      await expect(page).toHaveURL(path);
    }
  });

  test("unknown pages and consultations are 404 pages in the right language", async ({ page }) => {
    for (const [path, title] of [
      ["/fr/consultations/nope", "Page introuvable"],
      ["/en/consultations/nope", "Page not found"],
      [`/en/consultations/${E2E.draftSlug}`, "Page not found"],
      ["/en/some/where", "Page not found"],
      ["/xx", "Page introuvable"],
    ] as const) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
      // The title is the document's, in <head>, once: not a stray <title> in the page's body.
      await expect(page).toHaveTitle(new RegExp(`^${title} – `));
      await expect(page.locator("head > title")).toHaveCount(1);
      await expect(page.locator("body title")).toHaveCount(0);
    }
  });

  test("/healthz is 200 while the database answers", async ({ request }) => {
    const res = await request.get("/healthz");
    expect(res.status()).toBe(200);
    expect(await res.text()).toBe("ok\n");
  });
});

test("pages answer with strict security headers and a request id", async ({ request }) => {
  for (const path of ["/fr", `/fr/consultations/${E2E.demoSlug}`, "/en/staff/login", "/healthz"]) {
    const h = (await request.get(path)).headers();
    expect(h["content-security-policy"], path).toContain("script-src 'self'");
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"], path).not.toContain("unsafe-inline");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("same-origin");
    expect(h["x-request-id"], path).toMatch(/^[\w-]{8,}$/);
  }
});

test("headers set by a page's loader reach the browser", async ({ request }) => {
  expect((await request.get(`/fr/consultations/${E2E.demoSlug}`)).headers()["cache-control"]).toBe("private, no-cache");
  // An invitation link is a secret: never stored by a cache, and (like every page) never sent to
  // another site as a referrer. Not "no-referrer": the browser would then send "Origin: null" with
  // the form, which the Origin check refuses.
  const invitation = (await request.get("/en/staff/invitations/not-a-real-token")).headers();
  expect(invitation["cache-control"]).toBe("no-store");
  expect(invitation["referrer-policy"]).toBe("same-origin");
  // A receipt page has no form: its code goes to no one.
  expect((await request.get("/en/receipts/ZZZZ-ZZZZ")).headers()["referrer-policy"]).toMatch(/no-referrer$/);
});
