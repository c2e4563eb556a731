/**
 * What an accessibility auditor checks beyond axe-core (RGAA 4.1 / WCAG 2.2 AA), on the pages
 * residents use, in both languages: keyboard-only completion with a visible focus indicator
 * measured at every stop, the journey after an empty submit, the accessibility tree of a question
 * in error, reflow at 320 px, target sizes, and forced colours (screenshots kept in test-results/).
 */
import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E } from "./fixtures";

const demo = (lang: "fr" | "en") => `/${lang}/consultations/${E2E.demoSlug}`;
const SUBMIT = { fr: "Envoyer mes réponses", en: "Send my answers" };

/** WCAG relative luminance and contrast, computed here from CSS colours (`rgb(…)`/`rgba(…)`). */
function rgb(css: string): [number, number, number, number] {
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) throw new Error(`colour? ${css}`);
  const [r, g, b, a = "1"] = m[1].split(/[ ,/]+/).filter(Boolean);
  return [Number(r), Number(g), Number(b), Number(a)];
}
function luminance([r, g, b]: [number, number, number, number]): number {
  const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The focused element's outline, and the background it is drawn on (the nearest opaque one). */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    let node: HTMLElement | null = el.parentElement;
    let background = "rgb(255, 255, 255)";
    while (node) {
      const bg = getComputedStyle(node).backgroundColor;
      if (!/rgba\(0, 0, 0, 0\)|transparent/.test(bg)) {
        background = bg;
        break;
      }
      node = node.parentElement;
    }
    return {
      what: `${el.tagName.toLowerCase()}#${el.id || ""}${el.getAttribute("type") ? `[${el.getAttribute("type")}]` : ""}`,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type"),
      name: el.getAttribute("name"),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      outlineColor: style.outlineColor,
      background,
    };
  });
}

for (const lang of ["fr", "en"] as const) {
  test(`${lang}: the questionnaire is completed with the keyboard alone, the focus visible at every stop (≥ 3:1)`, async ({ page }) => {
    await page.goto(demo(lang));
    await page
      .locator("form.questionnaire input[name=submission_id]")
      .evaluate((el) => (el.closest("form") as HTMLFormElement).querySelector<HTMLElement>("input:not([type=hidden]), select, textarea")!.focus());
    await page.keyboard.press("Shift+Tab");
    const ranked = new Map<string, number>();
    const kinds = new Set<string>();
    let stops = 0;
    for (; stops < 80; stops++) {
      await page.keyboard.press("Tab");
      const ring = await focusRing(page);
      expect(ring.outlineStyle, ring.what).not.toBe("none");
      expect(ring.outlineWidth, ring.what).toBeGreaterThanOrEqual(2);
      expect(contrast(ring.outlineColor, ring.background), `${ring.what}: ${ring.outlineColor} on ${ring.background}`).toBeGreaterThanOrEqual(3);
      if (ring.tag === "button") break;
      kinds.add(ring.tag === "input" ? String(ring.type) : ring.tag);
      const name = ring.name ?? "";
      if (ring.type === "radio" || (ring.type === "checkbox" && !name.endsWith(".other"))) {
        const anyChecked = await page.locator(`input[name="${name}"]:checked`).count();
        if (!anyChecked) await page.keyboard.press("Space");
      } else if (ring.tag === "select") {
        const rank = ranked.size + 1;
        ranked.set(name, rank);
        for (let i = 0; i < rank; i++) await page.keyboard.press("ArrowDown");
      } else if (ring.tag === "textarea" || ring.type === "text") {
        await page.keyboard.type(lang === "fr" ? "Au clavier" : "By keyboard");
      }
    }
    expect([...kinds].sort()).toEqual(["checkbox", "radio", "select", "text", "textarea"]);
    expect(ranked.size).toBe(4);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/thanks\//);
  });

  for (const script of [true, false]) {
    test(`${lang}: after an empty submit ${script ? "with" : "without"} JavaScript, the title says so and the error summary is in view${script ? ", focused" : ""}`, async ({
      browser,
    }) => {
      const context = await browser.newContext({ javaScriptEnabled: script, viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(demo(lang));
      const title = await page.title();
      await page.getByRole("button", { name: SUBMIT[lang] }).click();
      await expect(page).toHaveURL(/#errors$/);
      await expect(page).toHaveTitle(`${lang === "fr" ? "Erreur : " : "Error: "}${title}`);
      const summary = page.locator("#errors");
      await expect(summary).toBeInViewport();
      if (script) await expect(summary).toBeFocused();
      // Its heading is not inside the "Your answers" section: levels nest.
      expect(await summary.evaluate((el) => el.closest("section[aria-labelledby=form-heading]") === null)).toBe(true);
      // A link in it lands on the question: legend and message in view.
      await summary.getByRole("link").first().click();
      const question = page.locator("#q-support");
      await expect(question.locator("legend")).toBeInViewport();
      await expect(question.locator(".error")).toBeInViewport();
      if (script) await expect(question.locator("input").first()).toBeFocused();
      await context.close();
    });
  }

  test(`${lang}: every control of a question in error is invalid and described by the message; "Other" and ranking errors are on their fields`, async ({
    page,
  }) => {
    await page.goto(demo(lang));
    // "Other" ticked but left empty; two items ranked 1.
    await page.locator("#q-measures input[value=__other]").check();
    await page.locator("#q-priorities select").nth(0).selectOption("1");
    await page.locator("#q-priorities select").nth(1).selectOption("1");
    await page.getByRole("button", { name: SUBMIT[lang] }).click();
    for (const code of ["support", "retention", "priorities"]) {
      const message = (await page.locator(`#q-${code}-error`).textContent())!.trim();
      expect(message.length, code).toBeGreaterThan(3);
      const controls = page.locator(`#q-${code} input, #q-${code} select`);
      expect(await controls.count(), code).toBeGreaterThan(2);
      for (const control of await controls.all()) {
        await expect(control).toHaveAttribute("aria-invalid", "true");
        await expect(control).toHaveAccessibleDescription(new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      }
    }
    // The "Other" error belongs to the "Other" text box, and the summary links there.
    const otherBox = page.locator("#q-measures input[type=text]");
    await expect(otherBox).toHaveAttribute("aria-invalid", "true");
    const otherId = await otherBox.getAttribute("id");
    await expect(page.locator(`#errors a[href="#${otherId}"]`)).toHaveCount(1);
    await expect(page.locator("#q-measures input[type=checkbox]").first()).not.toHaveAttribute("aria-invalid", "true");
  });

  test(`${lang}: ranking choices read "${lang === "fr" ? "non classé" : "not ranked"}" and say that 1 is the most important; hints are said once; numbers keep their space`, async ({
    page,
  }) => {
    await page.goto(demo(lang));
    const select = page.locator("#q-priorities select").first();
    await expect(select.locator("option").first()).toHaveText(lang === "fr" ? "non classé" : "not ranked");
    await expect(select).toHaveAccessibleDescription(lang === "fr" ? /1 = le plus important/ : /1 = the most important/);
    const measures = page.getByRole("group", { name: lang === "fr" ? /^2\. Quelles mesures/ : /^2\. Which measurements/ });
    await expect(measures).toHaveCount(1);
    const description = await measures.evaluate((el) =>
      (el.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" "),
    );
    const sentences = description.split(/(?<=\.)\s+/).filter(Boolean);
    expect(sentences.length).toBeGreaterThan(0);
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(description).not.toMatch(/(\d)\D+(\d)\D+\1\D+\2/); // "1 to 3 … between 1 and 3": a hint said twice
  });
}

const RESIDENT_PAGES = (lang: "fr" | "en") => [
  `/${lang}`,
  demo(lang),
  `/${lang}/consultations/${E2E.closedSlug}`,
  `/${lang}/consultations/${E2E.resultsSlug}/results`,
  `/${lang}/receipts`,
  `/${lang}/privacy`,
  `/${lang}/accessibility`,
  `/${lang}/open-data`,
  `/${lang}/offline`,
];

test("every resident page reflows at 320 px with no horizontal scroll, and its targets are 24 px or spaced (2.5.8)", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  for (const lang of ["fr", "en"] as const) {
    for (const path of RESIDENT_PAGES(lang)) {
      await page.goto(path);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(320);
      // Targets: controls, and links that are not inside a sentence (a paragraph's only content, lists, footer, header).
      const small = await page.evaluate(() => {
        const inSentence = (a: Element) => {
          const p = a.parentElement!;
          return p.tagName === "P" && (p.textContent ?? "").trim() !== (a.textContent ?? "").trim() && !p.closest("footer, header");
        };
        const targets = [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea")]
          .filter((el) => !(el.tagName === "A" && inSentence(el)) && !el.classList.contains("skip"))
          .map((el) => ({ el, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.height > 0);
        const out: string[] = [];
        for (const { el, r } of targets) {
          if (r.width >= 24 && r.height >= 24) continue;
          // Spacing exception: a 24 px circle on its centre meets no other target.
          const cx = r.left + r.width / 2;
          const cy = r.top + r.height / 2;
          const hits = targets.some(({ el: other, r: o }) => {
            if (other === el || other.contains(el) || el.contains(other)) return false;
            const nx = Math.max(o.left, Math.min(cx, o.right));
            const ny = Math.max(o.top, Math.min(cy, o.bottom));
            return Math.hypot(nx - cx, ny - cy) < 12;
          });
          if (hits)
            out.push(
              `${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute("name") ?? "").trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
            );
        }
        return out;
      });
      expect(small, path).toEqual([]);
    }
  }
  await context.close();
});

test("forced colours: the questionnaire in error, the focus and the results stay readable (screenshots looked at)", async ({ browser }) => {
  mkdirSync("test-results/forced-colours", { recursive: true });
  const context = await browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  await page.emulateMedia({ forcedColors: "active" });
  await page.goto(demo("fr"));
  await page.getByRole("button", { name: SUBMIT.fr }).click();
  await expect(page.locator("#errors")).toBeInViewport();
  await page.screenshot({ path: "test-results/forced-colours/error-summary.png" });
  await page.locator("#errors a").first().click();
  await page.keyboard.press("Tab");
  // In forced colours the outline is still drawn, in a system colour.
  const ring = await focusRing(page);
  expect(ring.outlineStyle).not.toBe("none");
  expect(ring.outlineWidth).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: "test-results/forced-colours/focus.png" });
  await page.goto(`/fr/consultations/${E2E.resultsSlug}/results`);
  await page.screenshot({ path: "test-results/forced-colours/results.png", fullPage: false });
  // Bars keep a visible fill: SVG rects get a system colour, not the page's.
  const fill = await page
    .locator("svg.bar .bar-fill")
    .first()
    .evaluate((el) => getComputedStyle(el).fill);
  expect(fill).not.toBe("none");
  await context.close();
});

test("the accessibility statement exists in both languages and every footer links to it", async ({ page }) => {
  for (const lang of ["fr", "en"] as const) {
    for (const path of [`/${lang}`, demo(lang), `/${lang}/privacy`, `/${lang}/consultations/${E2E.resultsSlug}/results`]) {
      await page.goto(path);
      await page
        .locator("footer")
        .getByRole("link", { name: lang === "fr" ? /^Accessibilité/ : /^Accessibility/ })
        .click();
      await expect(page).toHaveURL(new RegExp(`/${lang}/accessibility$`));
    }
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(lang === "fr" ? "Accessibilité" : "Accessibility");
    await expect(page.getByText(lang === "fr" ? /partiellement conforme au RGAA 4\.1/ : /partially conformant with RGAA 4\.1/)).toBeVisible();
    await expect(
      page.getByText(lang === "fr" ? /des critères du RGAA 4\.1 qui s’appliquent sont respectés/ : /of the RGAA 4\.1 criteria that apply are met/),
    ).toBeVisible();
    await expect(page.getByText(/Défenseur des droits/)).toBeVisible();
    // Status, results, content not accessible, how the statement was prepared, contact, recourse.
    await expect(page.getByRole("heading", { level: 2 })).toHaveCount(6);
  }
});
