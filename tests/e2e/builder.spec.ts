/**
 * The official's path through the builder, without typing a URL after sign-in: what opening and
 * closing will change is confirmed on a page of its own, without JavaScript.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { E2E, signInPage } from "./fixtures";

async function bilingual(scope: Page | Locator, group: string, fr: string, en: string) {
  const box = scope.getByRole("group", { name: group, exact: true });
  await box.getByLabel("French").fill(fr);
  await box.getByLabel("English").fill(en);
}

const TEXTS: [string, string, string][] = [
  ["Title", "Lampadaires intelligents", "Smart streetlights"],
  ["One-line summary", "Des lampadaires qui baissent la nuit.", "Streetlights that dim at night."],
  ["Proposal", "La commune propose des lampadaires à détection.", "The municipality proposes motion-sensing streetlights."],
  ["Data card: what data would be collected", "Des passages comptés.", "Counted passings."],
  ["Data card: why", "Régler l’éclairage.", "Tuning the lighting."],
  ["Data card: how long it is kept", "Un mois.", "One month."],
  ["Data card: who can see it", "Les services techniques.", "The technical department."],
  ["Data card: where the devices would be", "Rang Saint-Joseph.", "Rang Saint-Joseph."],
];

/** A complete draft with one question, made through the forms; ends on the consultation's staff page. */
async function newConsultation(page: Page, slug: string, opensAt?: string) {
  await page.getByRole("link", { name: "Consultations", exact: true }).first().click();
  await page.getByRole("link", { name: "New consultation" }).click();
  await page.getByLabel("Address (slug)").fill(slug);
  if (opensAt) await page.getByLabel("Opens").fill(opensAt);
  for (const [group, fr, en] of TEXTS) await bilingual(page, group, fr, en);
  await page.getByRole("button", { name: "Create the draft" }).click();
  const add = page.locator("#add");
  await add.getByLabel("Code", { exact: true }).fill("dim");
  await bilingual(add, "Wording", "Faut-il baisser l’éclairage la nuit ?", "Should lighting dim at night?");
  for (const [i, [code, fr, en]] of [
    ["yes", "Oui", "Yes"],
    ["no", "Non", "No"],
  ].entries()) {
    await add.getByLabel(`Code of answer ${i + 1}`, { exact: true }).fill(code);
    await add.getByLabel(`Label of answer ${i + 1} in French`).fill(fr);
    await add.getByLabel(`Label of answer ${i + 1} in English`).fill(en);
  }
  await add.getByRole("button", { name: "Add this question" }).click();
  await expect(page.getByRole("status")).toHaveText("Question added.");
  await page.getByRole("link", { name: "← Smart streetlights" }).click();
}

test("opening and closing are confirmed on a page that says what residents will see, without JavaScript", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInPage(page, E2E.official);
  const slug = `lights-${Date.now()}`;
  await newConsultation(page, slug, "2030-12-01T09:00");

  // Opening early: the page names the scheduled date it will ignore; cancelling changes nothing.
  await page.getByRole("button", { name: "Open to residents" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Open “Smart streetlights” to residents?");
  await expect(page.getByText("Residents will be able to answer from now.")).toBeVisible();
  await expect(page.getByText(/The scheduled opening date of .*1 December 2030.* will be ignored\./)).toBeVisible();
  await page.getByRole("link", { name: "Cancel, change nothing" }).click();
  await expect(page.getByText("Status: draft.", { exact: false })).toBeVisible();

  // In French, the same page in the page's language; then confirmed.
  await page.getByRole("button", { name: "Open to residents" }).click();
  await page.getByRole("link", { name: "Français" }).click();
  await expect(page.getByText(/La date d’ouverture prévue, le .*1 décembre 2030.*, sera ignorée\./)).toBeVisible();
  await page.getByRole("link", { name: "English" }).click();
  await page.getByRole("button", { name: "Yes, open it now" }).click();
  await expect(page.getByRole("status")).toHaveText("The consultation is open: residents can answer.");

  // A resident answers; closing says how many answers were received.
  const resident = await context.newPage();
  await resident.goto(`/en/consultations/${slug}`);
  await resident.getByRole("radio", { name: "Yes" }).check();
  await resident.getByRole("button", { name: "Send my answers" }).click();
  await expect(resident.locator(".receipt-code")).toBeVisible();
  await page.getByRole("button", { name: "Close now" }).click();
  await expect(page.getByText("Residents will no longer be able to answer; 1 answer received.")).toBeVisible();
  await page.getByRole("link", { name: "Cancel, change nothing" }).click();
  await expect(page.getByText("Status: open.", { exact: false })).toBeVisible();
  await page.getByRole("button", { name: "Close now" }).click();
  await page.getByRole("button", { name: "Yes, close it now" }).click();
  await expect(page.getByRole("status")).toHaveText("The consultation is closed.");
  await context.close();
});
