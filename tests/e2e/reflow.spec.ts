/**
 * Staff pages at 320 CSS pixels (WCAG 1.4.10, RGAA 10.11) and with the text spacing of WCAG 1.4.12
 * (RGAA 10.12): nothing is wider than the window, so nothing needs a horizontal scroll bar or is
 * cut off. A data table may scroll inside its own container, which the page keeps within its width.
 */
import { expect, test, type Page } from "@playwright/test";
import { E2E, staffPage, type StaffRole } from "./fixtures";

/** WCAG 1.4.12's spacing, as the bookmarklets auditors use apply it. */
const TEXT_SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }`;

const d = E2E.demoSlug;
/** A page, and the link on it to follow first (a question's form opens from the list, by a link). */
const PAGES: [StaffRole, string, string?][] = [
  ["official", "/en/staff"],
  ["official", "/en/staff/consultations/new"],
  ["official", `/en/staff/consultations/${d}`],
  ["official", `/en/staff/consultations/${d}/edit`],
  ["official", `/en/staff/consultations/${d}/questions`],
  ["official", `/en/staff/consultations/${d}/questions`, "Edit question 2"],
  ["official", `/en/staff/consultations/${E2E.draftSlug}/questions`],
  ["official", `/en/staff/consultations/${d}/summary`],
  ["official", `/en/staff/consultations/${d}/paper`],
  ["official", `/en/staff/consultations/${E2E.codeSlug}/codes`],
  ["moderator", `/en/staff/consultations/${d}/moderation`],
  ["moderator", `/en/staff/consultations/${d}/themes`],
  ["admin", "/en/staff/settings"],
  ["admin", "/en/staff/users"],
  ["admin", "/en/staff/audit"],
];

/** Elements wider than the window, outside a container that scrolls: what a person would have to scroll sideways to read. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of document.body.querySelectorAll<HTMLElement>("*")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 1) continue;
      // Text kept for screen readers only (clipped to nothing) is not on the screen.
      let clipped = false;
      for (let a: HTMLElement | null = el; a && !clipped; a = a.parentElement) clipped = getComputedStyle(a).clipPath !== "none";
      if (clipped) continue;
      // Inside a container that scrolls on its own (a data table's), and that container fits.
      let scroller = el.parentElement;
      while (scroller && scroller !== document.body && getComputedStyle(scroller).overflowX !== "auto") scroller = scroller.parentElement;
      if (scroller && scroller !== document.body && scroller.getBoundingClientRect().right <= width + 1) continue;
      out.push(
        `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className ? `.${String(el.className).split(" ").join(".")}` : ""} (${Math.round(box.right)} px)`,
      );
    }
    return out.slice(0, 10);
  });
}

for (const [role, path, link] of PAGES) {
  test(`${path}${link ? ` (${link})` : ""} reflows at 320 px and keeps its text with WCAG text spacing`, async ({ browser }) => {
    // The spacing goes in as an auditor's bookmarklet puts it, past the page's Content-Security-Policy.
    const page = await staffPage(browser, role, { viewport: { width: 320, height: 640 }, bypassCSP: true });
    await page.goto(path);
    if (link) {
      // The link opens a new document; it is measured once loaded, as goto measures the first one
      // (before its stylesheet has arrived a browser has not painted it, so nobody has seen it).
      await page.getByRole("link", { name: link, exact: true }).click();
      await page.waitForURL((url) => url.search !== "");
      await page.waitForLoadState("load");
    }
    expect(await overflowing(page), path).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width of ${path}`).toBeLessThanOrEqual(320);
    await page.addStyleTag({ content: TEXT_SPACING });
    expect(await overflowing(page), `${path} with text spacing`).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width of ${path} with text spacing`).toBeLessThanOrEqual(320);
    await page.context().close();
  });
}
