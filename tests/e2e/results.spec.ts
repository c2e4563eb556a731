import { expect, test } from "@playwright/test";
import { goOffline, openOnce } from "./device";
import { E2E } from "./fixtures";

const results = (lang: "fr" | "en") => `/${lang}/consultations/${E2E.resultsSlug}/results`;

for (const lang of ["fr", "en"] as const) {
  test(`results in ${lang} read with JavaScript off: reached from the list, figures as tables with bars, a few texts`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`/${lang}`);
    await page.getByRole("link", { name: lang === "fr" ? /^Résultats\s: Results – / : /^Results: Results – / }).click();
    await expect(page).toHaveURL(new RegExp(`${results(lang)}$`));
    await expect(page.getByText(lang === "fr" ? /^Chiffres au / : /^Figures as of /)).toBeVisible();
    // A search engine or a shared link says what the page is.
    await expect(page.locator('head meta[name="description"]')).toHaveAttribute(
      "content",
      lang === "fr" ? /^Ce que tout le monde a répondu à «\sResults – .+\s»\s: les chiffres / : /^What everyone answered to “Results – .+”: the figures /,
    );
    // Nine questions, each a section; the choice questions as tables, each row with its bar.
    await expect(page.locator("article.results section[aria-labelledby^='q-']")).toHaveCount(9);
    expect(await page.locator("table").count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator("svg.bar").count()).toBeGreaterThan(10);
    // Texts a moderator published: at most five per text question, the rest counted.
    expect(await page.locator("blockquote").count()).toBeGreaterThan(0);
    for (const section of await page.locator("article.results section").all()) expect(await section.locator("blockquote").count()).toBeLessThanOrEqual(5);
    await expect(page.getByText(lang === "fr" ? /^Et \d+ autres textes\.$/ : /^And \d+ more texts\.$/).first()).toBeVisible();
    await context.close();
  });
}

test("a results page opened once is readable offline, figures and texts", async ({ page, context }) => {
  await openOnce(page, results("fr"));
  const tables = await page.locator("table").count();
  await goOffline(context);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Résultats");
  await expect(page.locator("table")).toHaveCount(tables);
  expect(await page.locator("blockquote").count()).toBeGreaterThan(0);
});
