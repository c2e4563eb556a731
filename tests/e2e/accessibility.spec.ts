import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { answerDemo, E2E, signInPage } from "./fixtures";

// axe runs inside the page, so these pages are checked with JavaScript on; resident pages load none of their own.

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, what).toEqual([]);
}

for (const lang of ["fr", "en"] as const) {
  test(`resident pages in ${lang} have no axe-core violations`, async ({ page }) => {
    test.setTimeout(180_000);
    const submit = lang === "fr" ? "Envoyer mes réponses" : "Send my answers";
    await page.goto(`/${lang}`);
    await expectNoViolations(page, "list");
    await page.goto(`/${lang}/consultations/${E2E.demoSlug}`);
    await expectNoViolations(page, "consultation");
    await page.getByRole("button", { name: submit }).click();
    await expect(page.getByRole("alert")).toBeVisible();
    await expectNoViolations(page, "error state");
    await page.goto(`/${lang}/consultations/${E2E.codeSlug}`);
    await page.getByRole("button", { name: submit }).click();
    await expect(page.locator("#errors")).toBeVisible();
    await expectNoViolations(page, "code-mode error state");
    await page.goto(`/${lang}/consultations/${E2E.closedSlug}`);
    await expectNoViolations(page, "closed consultation");
    await page.goto(`/${lang}/consultations/${E2E.resultsSlug}/results`);
    await expectNoViolations(page, "results with published texts");
    await page.goto(`/${lang}/accessibility`);
    await expectNoViolations(page, "accessibility statement");
    await page.goto(`/${lang}/consultations/${E2E.demoSlug}`);
    await answerDemo(page, lang);
    await page.getByRole("button", { name: submit }).click();
    await expect(page).toHaveURL(/\/thanks\//);
    await expectNoViolations(page, "thank-you");
    await page.locator("a[href*='/receipts/']").click();
    await expect(page).toHaveURL(/\/receipts\/[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expectNoViolations(page, "receipt counted");
    await page.goto(`/${lang}/receipts/ZZZZ-ZZZZ`);
    await expectNoViolations(page, "receipt not found");
    await page.goto(`/${lang}/receipts?code=nope`);
    await expectNoViolations(page, "receipt form with error");
    await page.goto(`/${lang}/nowhere`);
    await expectNoViolations(page, "404");
    for (const path of [
      "offline",
      "offline/saved",
      "offline/answer/ZZZZZZZZ",
      "privacy",
      "open-data",
      `consultations/${E2E.demoSlug}/notify`,
      "notify/confirm/no-such-link",
      "notify/stop/no-such-link",
      "staff/forgot",
      "staff/reset/no-such-link",
    ]) {
      await page.goto(`/${lang}/${path}`);
      await expectNoViolations(page, path);
    }
  });
}

test("staff pages have no axe-core violations", async ({ page }) => {
  // About twenty pages, each analysed whole: on a loaded two-core machine this takes a minute.
  test.setTimeout(240_000);
  await page.goto("/en/staff/login");
  await expectNoViolations(page, "login");
  await signInPage(page, E2E.admin);
  const c = `/en/staff/consultations/${E2E.codeSlug}`;
  const d = `/en/staff/consultations/${E2E.demoSlug}`;
  for (const path of [
    "/en/staff",
    "/en/staff/users",
    "/en/staff/password",
    "/en/staff/audit",
    "/en/staff/consultations/new",
    c,
    `${c}/edit`,
    `${c}/questions`,
    `${c}/preview?as=fr`,
    `${c}/paper`,
    `${c}/outcome`,
    `${c}/codes`,
    "/fr/staff",
    `${d}/summary?breakdown=area`,
    `${d}/moderation?state=all`,
    `${d}/themes`,
    `${d}/references`,
    `${d}/confirm?intent=close`,
    `/en/staff/consultations/${E2E.draftSlug}/confirm?intent=open`,
    `${c}/duplicate`,
    `${d}/delete`,
    `/en/staff/consultations/${E2E.draftSlug}/delete`,
    "/en/staff?q=capteurs&status=open",
  ]) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
  await page.goto("/en/staff/consultations/new");
  await page.getByRole("button", { name: "Create the draft" }).click();
  await expectNoViolations(page, "editor with errors");

  // A save refused because someone else saved meanwhile: both versions on the page.
  const other = await page.context().newPage();
  for (const p of [page, other]) await p.goto(`/en/staff/consultations/${E2E.draftSlug}/edit`);
  await other.getByRole("group", { name: "Title", exact: true }).getByLabel("English").fill("Saved by someone else");
  await other.getByRole("button", { name: "Save" }).click();
  await expect(other.getByRole("status")).toHaveText("Saved.");
  await page.getByRole("group", { name: "Title", exact: true }).getByLabel("English").fill("Typed here");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toContainText("This consultation changed since you opened it");
  await expectNoViolations(page, "stale edit with the saved version beside");

  // The question builder with a mistake in one answer row.
  await page.goto(`/en/staff/consultations/${E2E.draftSlug}/questions`);
  const add = page.locator("#add");
  await add.getByLabel("Code", { exact: true }).fill("again");
  await add.getByLabel("Code of answer 1", { exact: true }).fill("same");
  await add.getByLabel("Code of answer 2", { exact: true }).fill("same");
  await add.getByRole("button", { name: "Add this question" }).click();
  await expect(page.locator("#add").getByText("Two answers have the same code.", { exact: true })).toBeVisible();
  await expectNoViolations(page, "question builder with errors");
});

test("letters, the codes page with a batch, the blank questionnaire and paper entry with errors have no axe-core violations", async ({ page }) => {
  test.setTimeout(120_000);
  await signInPage(page, E2E.admin);
  const c = `/en/staff/consultations/${E2E.codeSlug}`;
  await page.goto(`${c}/codes`);
  await page.getByLabel("Name of the batch").fill("Accessibility");
  await page.getByLabel("How many letters").fill("3");
  await page.getByRole("button", { name: "Create the batch and show the letters" }).click();
  await expect(page.locator(".letter")).toHaveCount(3);
  await expectNoViolations(page, "printable letters");
  await page.getByRole("link", { name: "← Participation codes" }).click();
  await expectNoViolations(page, "codes page with a batch");
  await page.goto(`${c}/questionnaire?as=fr`);
  await expectNoViolations(page, "blank paper questionnaire");
  await page.goto(`${c}/paper`);
  await page.getByRole("checkbox", { name: "1 – Not at all in favour" }).check();
  await page.getByRole("checkbox", { name: "5 – Fully in favour" }).check();
  await page.getByRole("button", { name: "Record this paper form" }).click();
  await expect(page.getByRole("alert")).toContainText("This paper form was not recorded");
  await expectNoViolations(page, "paper entry with errors and the offer to record as written");
});

test("the municipality's settings and the outbox have no axe-core violations", async ({ page }) => {
  test.setTimeout(120_000);
  await signInPage(page, E2E.admin);
  for (const path of ["/en/staff/settings", "/fr/staff/settings", "/en/staff/mail"]) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
});
