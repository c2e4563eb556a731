import { expect, test, type Page } from "@playwright/test";
import { answerDemo, axeOn, E2E, staffPage } from "./fixtures";

// axe runs inside the page, so these pages are checked with JavaScript on; resident pages load none of their own.
// One axe pass per page state, here and nowhere else: another spec runs axe only on a state this file
// cannot reach (docs/testing.md). The tests are small groups of states, independent of each other,
// so that both workers share them.
test.describe.configure({ mode: "parallel", timeout: 120_000 });

async function expectNoViolations(page: Page, what: string) {
  const results = await axeOn(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, what).toEqual([]);
}

/** Each page, opened in turn, has no violation. */
async function expectPagesWithoutViolations(page: Page, paths: string[]) {
  for (const path of paths) {
    await page.goto(path);
    await expectNoViolations(page, path);
  }
}

for (const lang of ["fr", "en"] as const) {
  const submit = lang === "fr" ? "Envoyer mes réponses" : "Send my answers";

  test.describe(`resident pages in ${lang} have no axe-core violations`, () => {
    test("the list and a consultation, then its error state", async ({ page }) => {
      await page.goto(`/${lang}`);
      await expectNoViolations(page, "list");
      await page.goto(`/${lang}/consultations/${E2E.demoSlug}`);
      await expectNoViolations(page, "consultation");
      await page.getByRole("button", { name: submit }).click();
      await expect(page.getByRole("alert")).toBeVisible();
      await expectNoViolations(page, "error state");
    });

    test("a code-mode consultation's error state, a closed consultation, published results", async ({ page }) => {
      await page.goto(`/${lang}/consultations/${E2E.codeSlug}`);
      await page.getByRole("button", { name: submit }).click();
      await expect(page.locator("#errors")).toBeVisible();
      await expectNoViolations(page, "code-mode error state");
      await page.goto(`/${lang}/consultations/${E2E.closedSlug}`);
      await expectNoViolations(page, "closed consultation");
      await page.goto(`/${lang}/consultations/${E2E.resultsSlug}/results`);
      await expectNoViolations(page, "results with published texts");
    });

    test("the thank-you page and the receipt of the answer counted", async ({ page }) => {
      await page.goto(`/${lang}/consultations/${E2E.demoSlug}`);
      await answerDemo(page, lang);
      await page.getByRole("button", { name: submit }).click();
      await expect(page).toHaveURL(/\/thanks\//);
      await expectNoViolations(page, "thank-you");
      await page.locator("a[href*='/receipts/']").click();
      await expect(page).toHaveURL(/\/receipts\/[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      await expectNoViolations(page, "receipt counted");
    });

    test("the accessibility statement, a receipt not found, the receipt form with an error, a page not found", async ({ page }) => {
      await page.goto(`/${lang}/accessibility`);
      await expectNoViolations(page, "accessibility statement");
      await page.goto(`/${lang}/receipts/ZZZZ-ZZZZ`);
      await expectNoViolations(page, "receipt not found");
      await page.goto(`/${lang}/receipts?code=nope`);
      await expectNoViolations(page, "receipt form with error");
      await page.goto(`/${lang}/nowhere`);
      await expectNoViolations(page, "404");
    });

    test("the offline pages, privacy and open data", async ({ page }) => {
      await expectPagesWithoutViolations(
        page,
        ["offline", "offline/saved", "privacy", "open-data"].map((path) => `/${lang}/${path}`),
      );
    });

    test("asking to be told of the outcome, its links, and the staff's password recovery", async ({ page }) => {
      await expectPagesWithoutViolations(
        page,
        [`consultations/${E2E.demoSlug}/notify`, "notify/confirm/no-such-link", "notify/stop/no-such-link", "staff/forgot", "staff/reset/no-such-link"].map(
          (path) => `/${lang}/${path}`,
        ),
      );
    });
  });
}

test.describe("staff pages have no axe-core violations", () => {
  const c = `/en/staff/consultations/${E2E.codeSlug}`;
  const d = `/en/staff/consultations/${E2E.demoSlug}`;
  const draft = `/en/staff/consultations/${E2E.draftSlug}`;

  test("the sign-in page", async ({ page }) => {
    await page.goto("/en/staff/login");
    await expectNoViolations(page, "login");
  });

  test("home, accounts, password, audit log, a new consultation, the list searched", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    await expectPagesWithoutViolations(page, [
      "/en/staff",
      "/en/staff/users",
      "/en/staff/password",
      "/en/staff/audit",
      "/en/staff/consultations/new",
      "/fr/staff",
      "/en/staff?q=capteurs&status=open",
    ]);
    await page.context().close();
  });

  test("a consultation's page, editor, questions, preview, paper entry and outcome", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    await expectPagesWithoutViolations(page, [c, `${c}/edit`, `${c}/questions`, `${c}/preview?as=fr`, `${c}/paper`, `${c}/outcome`]);
    // The questions listed, one of them with its form open.
    await page.goto(`${c}/questions`);
    await page.getByRole("link", { name: "Edit question 2", exact: true }).click();
    await expect(page.getByRole("button", { name: "Save question 2" })).toBeVisible();
    await expectNoViolations(page, "questions with one question's form open");
    await page.context().close();
  });

  test("summary, moderation, themes, reference shares, confirming a closing", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    await expectPagesWithoutViolations(page, [
      `${d}/summary?breakdown=area`,
      `${d}/moderation?state=all`,
      `${d}/themes`,
      `${d}/references`,
      `${d}/confirm?intent=close`,
    ]);
    // Back at a text just restored, which stays once in the list of hidden texts, confirmed beside it.
    const seeded = `/en/staff/consultations/${E2E.resultsSlug}/moderation`;
    await page.goto(`${seeded}?state=visible`);
    const restored = await page.locator("ol.moderation > li").first().getAttribute("id");
    await page.goto(`${seeded}?state=hidden&at=${restored}&done=restored#${restored}`);
    await expect(page.locator(`#${restored}`).getByRole("status")).toHaveText("Text restored.");
    await expectNoViolations(page, "moderation, back at the text acted on");
    await page.context().close();
  });

  test("confirming an opening, duplicating, deleting, and the editor with errors", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    await expectPagesWithoutViolations(page, [`${draft}/confirm?intent=open`, `${c}/duplicate`, `${d}/delete`, `${draft}/delete`]);
    await page.goto("/en/staff/consultations/new");
    await page.getByRole("button", { name: "Create the draft" }).click();
    await expectNoViolations(page, "editor with errors");
    await page.context().close();
  });

  test("a stale edit with the saved version beside, and the question builder with errors", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    // A save refused because someone else saved meanwhile: both versions on the page.
    const other = await page.context().newPage();
    for (const p of [page, other]) await p.goto(`${draft}/edit`);
    await other.getByRole("group", { name: "Title", exact: true }).getByLabel("English").fill("Saved by someone else");
    await other.getByRole("button", { name: "Save" }).click();
    await expect(other.getByRole("status")).toHaveText("Saved.");
    await page.getByRole("group", { name: "Title", exact: true }).getByLabel("English").fill("Typed here");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("alert")).toContainText("This consultation changed since you opened it");
    await expectNoViolations(page, "stale edit with the saved version beside");

    // The question builder with a mistake in one answer row.
    await page.goto(`${draft}/questions`);
    const add = page.locator("#add");
    await add.getByLabel("Code", { exact: true }).fill("again");
    await add.getByLabel("Code of answer 1", { exact: true }).fill("same");
    await add.getByLabel("Code of answer 2", { exact: true }).fill("same");
    await add.getByRole("button", { name: "Add this question" }).click();
    await expect(page.locator("#add").getByText("Two answers have the same code.", { exact: true })).toBeVisible();
    await expectNoViolations(page, "question builder with errors");
    await page.context().close();
  });

  test("the codes page before and after a batch, its letters, the blank questionnaire, paper entry with errors", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    // Before any batch of this file; the batch made next is the only one on this consultation.
    await page.goto(`${c}/codes`);
    await expectNoViolations(page, `${c}/codes`);
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
    await page.context().close();
  });

  test("the municipality's settings and the outbox", async ({ browser }) => {
    const page = await staffPage(browser, "admin");
    await expectPagesWithoutViolations(page, ["/en/staff/settings", "/fr/staff/settings", "/en/staff/mail"]);
    await page.context().close();
  });
});
