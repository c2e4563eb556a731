import { createHash } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E } from "./fixtures";

/**
 * Resident pages paint from their own HTML (docs/decisions/025-first-render-in-one-request.md):
 * the critical CSS is inlined, allowed by its hash, and no stylesheet holds back the first render.
 */
const consultation = `/fr/consultations/${E2E.demoSlug}`;
const RESIDENT_PAGES = [
  "/fr",
  "/en",
  consultation,
  `/en/consultations/${E2E.demoSlug}`,
  "/fr/receipts",
  "/en/receipts/ZZZZ-ZZZZ",
  "/fr/privacy",
  "/en/open-data",
  "/fr/offline",
  "/en/offline/saved",
];

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64");

function styleSrc(csp: string): string[] {
  const directive = csp.split(";").find((d) => d.trim().startsWith("style-src"));
  return directive?.trim().split(/\s+/).slice(1) ?? [];
}

test("a resident page carries its critical CSS inline, allowed by its hash, and no render-blocking stylesheet", async ({ request }) => {
  for (const path of RESIDENT_PAGES) {
    const res = await request.get(path);
    const html = await res.text();
    const head = html.slice(0, html.indexOf("</head>"));
    const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]);
    expect(styles.length, path).toBe(1);
    expect(head, path).toContain(`<style>${styles[0]}</style>`);
    expect(styles[0].length, path).toBeGreaterThan(1000);
    const sources = styleSrc(res.headers()["content-security-policy"]);
    expect(sources, path).toContain(`'sha256-${sha256(styles[0])}'`);
    expect(sources, path).not.toContain("'unsafe-inline'");
    // The full stylesheet is fetched and cached, for print only: it never holds back the first render.
    const links = [...html.matchAll(/<link [^>]*rel="stylesheet"[^>]*>/g)].map((m) => m[0]);
    expect(links, path).toEqual([expect.stringMatching(/^<link rel="stylesheet" href="\/build\/_assets\/app-[\w-]+\.css" media="print"\/>$/)]);
    expect(head, path).toContain(links[0]);
  }
});

test("staff pages link the plain stylesheet and carry no inline style", async ({ request }) => {
  const html = await (await request.get("/fr/staff/login")).text();
  expect(html).not.toContain("<style");
  expect(html.match(/<link [^>]*rel="stylesheet"[^>]*>/g)).toEqual([
    expect.stringMatching(/^<link rel="stylesheet" href="\/build\/_assets\/app-[\w-]+\.css"\/>$/),
  ]);
});

type Styles = { element: string; style: Record<string, string> }[];

/** Every element's computed style, in document order. */
async function computedStyles(page: Page): Promise<Styles> {
  return page.evaluate(() =>
    [...document.querySelectorAll("body, body *")].map((el) => {
      const style = getComputedStyle(el);
      const props = [...style].filter((p) => !p.startsWith("--"));
      return {
        element: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${typeof el.className === "string" && el.className ? `.${el.className.replace(/ /g, ".")}` : ""}`,
        style: Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)])),
      };
    }),
  );
}

/** Where two renderings of the same DOM differ: "element property: one ≠ other". */
function differences(critical: Styles, full: Styles): string[] {
  expect(critical.map((e) => e.element)).toEqual(full.map((e) => e.element));
  return critical.flatMap(({ element, style }, i) =>
    Object.keys({ ...style, ...full[i].style })
      .filter((p) => style[p] !== full[i].style[p])
      .map((p) => `${element} ${p}: ${style[p]} ≠ ${full[i].style[p]}`),
  );
}

/**
 * The same page twice, without JavaScript or service worker, so that both DOMs are the server's:
 * as sent (inline critical CSS; the stylesheet's requests cut), and as a page with the whole
 * stylesheet applied the ordinary way (the inline style taken out, the stylesheet for all media).
 * The second rendering is given the very HTML the first received, so that a consultation opened
 * by another test in between cannot make the two DOMs differ.
 */
async function bothWays(browser: Browser, path: string, act?: (page: Page) => Promise<void>) {
  const out: Styles[] = [];
  const sent = new Map<string, string>();
  const key = (request: { method(): string; url(): string }) => `${request.method()} ${request.url()}`;
  for (const way of ["critical", "full"] as const) {
    const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: "block", viewport: { width: 390, height: 844 } });
    const cssRequests: string[] = [];
    if (way === "critical") {
      await context.route("**/build/**/*.css", (route) => {
        cssRequests.push(route.request().url());
        return route.abort();
      });
      await context.route(
        (url) => !url.pathname.startsWith("/build/"),
        async (route) => {
          const response = await route.fetch();
          if (!(response.headers()["content-type"] ?? "").startsWith("text/html")) return route.fulfill({ response });
          const html = await response.text();
          sent.set(key(route.request()), html);
          await route.fulfill({ response, body: html });
        },
      );
    } else {
      await context.route(
        (url) => !url.pathname.startsWith("/build/"),
        async (route) => {
          const response = await route.fetch();
          if (!(response.headers()["content-type"] ?? "").startsWith("text/html")) return route.fulfill({ response });
          const html = (sent.get(key(route.request())) ?? (await response.text())).replace(/<style>[^<]*<\/style>/, "").replace(' media="print"', "");
          await route.fulfill({ response, body: html });
        },
      );
    }
    const page = await context.newPage();
    await page.goto(path);
    if (act) await act(page);
    if (way === "critical") expect(cssRequests.length, `${path}: the stylesheet was asked for`).toBeGreaterThan(0);
    else expect(await page.evaluate(() => [...document.querySelectorAll("style")].length)).toBe(0);
    // Styled at all: the header is a flex row, the heading is the stylesheet's size, not the browser's.
    expect(await page.locator("header.site").evaluate((el) => getComputedStyle(el).display)).toBe("flex");
    expect(
      await page
        .locator("h1")
        .first()
        .evaluate((el) => getComputedStyle(el).fontSize),
    ).toBe("25.6px");
    out.push(await computedStyles(page));
    await context.close();
  }
  return { critical: out[0], full: out[1] };
}

for (const path of ["/fr", consultation, "/en/receipts", "/fr/privacy", "/fr/offline"]) {
  test(`${path}: with the stylesheet cut off, every element looks as it does with the whole stylesheet`, async ({ browser }) => {
    const { critical, full } = await bothWays(browser, path);
    expect(critical.length).toBeGreaterThan(20);
    expect(differences(critical, full)).toEqual([]);
  });
}

test("a questionnaire sent with mistakes looks the same with the critical CSS as with the whole stylesheet", async ({ browser }) => {
  const { critical, full } = await bothWays(browser, consultation, async (page) => {
    await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
    await expect(page.locator(".error-summary")).toBeVisible();
    // The summary is at the top: compare once the whole page below it has arrived.
    await page.waitForLoadState("load");
  });
  expect(critical.filter((e) => e.element.startsWith("div") && e.element.includes(".error-summary")).length).toBe(1);
  expect(differences(critical, full)).toEqual([]);
});

test("no Content-Security-Policy violation on resident pages, with the enhancement script", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  for (const path of RESIDENT_PAGES) await page.goto(path);
  // Two pages answer 404 (a receipt code that does not exist); the browser logs that, nothing else.
  expect(problems.filter((p) => !/404/.test(p))).toEqual([]);
});
