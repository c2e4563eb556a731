/**
 * The official's path through the builder, without typing a URL after sign-in: what opening and
 * closing will change is confirmed on a page of its own, without JavaScript.
 */
import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { E2E, staffPage } from "./fixtures";

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
  const page = await staffPage(browser, "official", { javaScriptEnabled: false });
  const context = page.context();
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

  // The figures for a French-locale spreadsheet: semicolons and a decimal comma.
  await page.getByRole("link", { name: "Summary (printable)" }).click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /CSV for French-locale spreadsheets/ }).click()]);
  expect(file.suggestedFilename()).toBe(`${slug}-summary-fr.csv`);
  const rows = parse(await readFile((await file.path())!), { bom: true, columns: true, delimiter: ";" }) as Record<string, string>[];
  const yes = rows.find((r) => r.kind === "option" && r.question_code === "dim" && r.item === "yes" && !r.group)!;
  expect([yes.count, yes.base, yes.share]).toEqual(["1", "1", "1"]);
  const channel = rows.find((r) => r.kind === "channel" && r.item === "web")!;
  expect(channel.count).toBe("1");
  await context.close();

  // The administrator, from the public footer, reads what happened as sentences, and downloads them.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await admin.goto("/en");
  await admin.getByRole("contentinfo").getByRole("link", { name: "Staff sign-in" }).click();
  await admin.getByLabel("Email address").fill(E2E.admin);
  await admin.getByLabel("Password").fill(E2E.password);
  await admin.getByRole("button", { name: "Sign in" }).click();
  await admin.getByRole("link", { name: "Audit log" }).click();
  await admin.getByLabel("Consultation").selectOption(slug);
  await admin.getByLabel("Action", { exact: true }).selectOption("consultation.close");
  await admin.getByRole("button", { name: "Show" }).click();
  await expect(admin.getByRole("table").getByRole("row")).toHaveCount(2);
  await expect(admin.getByRole("cell", { name: `${E2E.official} closed the consultation “Smart streetlights”` })).toBeVisible();
  const [log] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: /CSV for French spreadsheets/ }).click()]);
  const entries = parse(await readFile((await log.path())!), { bom: true, columns: true, delimiter: ";" }) as Record<string, string>[];
  expect(entries.map((e) => [e.actor, e.action, e.sentence])).toEqual([
    [E2E.official, "consultation.close", `${E2E.official} closed the consultation “Smart streetlights”`],
  ]);
  await admin.getByRole("link", { name: "Français" }).click();
  await expect(admin.getByRole("cell", { name: `${E2E.official} a clos la consultation « Lampadaires intelligents »` })).toBeVisible();
  await adminContext.close();
});

test("the builder guides: standard demographic answers, more answer rows, errors named by row, duplicate, search and delete", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await staffPage(browser, "official");
  const slug = `guided-${Date.now()}`;
  await newConsultation(page, slug);
  await page.getByRole("link", { name: "Questionnaire", exact: true }).click();

  // A demographic question left empty comes with its standard answers in both languages, confirmed beside it.
  const add = page.locator("#add");
  await add.getByLabel("Demographic question").selectOption({ label: "Age band" });
  await add.getByRole("button", { name: "Add this question" }).click();
  const age = page.locator("section.question-editor", { has: page.getByRole("heading", { name: "2. How old are you?" }) });
  await expect(age.getByRole("status")).toHaveText("Question added.");
  expect(new URL(page.url()).hash).toMatch(/^#q-/);
  // The list shows each question in a line; its answers are in its form, one question at a time.
  await expect(age.getByLabel("Code of answer 1", { exact: true })).toHaveCount(0);
  await age.getByRole("link", { name: "Edit question 2" }).click();
  await expect(age.getByLabel("Code of answer 1", { exact: true })).toBeVisible(); // its form, once the page has come
  const rowsOf = async (scope: Locator) => {
    const out: string[][] = [];
    for (let i = 1; ; i++) {
      const code = scope.getByLabel(`Code of answer ${i}`, { exact: true });
      if (!(await code.count())) return out;
      const row = [
        await code.inputValue(),
        await scope.getByLabel(`Label of answer ${i} in French`).inputValue(),
        await scope.getByLabel(`Label of answer ${i} in English`).inputValue(),
      ];
      if (row.some(Boolean)) out.push(row);
    }
  };
  expect(await rowsOf(age)).toEqual([
    ["u18", "Moins de 18 ans", "Under 18"],
    ["18-34", "18 à 34 ans", "18 to 34"],
    ["35-54", "35 à 54 ans", "35 to 54"],
    ["55-74", "55 à 74 ans", "55 to 74"],
    ["75-plus", "75 ans et plus", "75 and over"],
  ]);
  await expect(add).toHaveCount(0);
  await page.getByRole("link", { name: "Add a question", exact: true }).click();

  // Seven answers: "More answers" brings the form back as typed, with empty rows to fill.
  await add.getByLabel("Kind").selectOption({ label: "Single choice" });
  await add.getByLabel("Code", { exact: true }).fill("how");
  await bilingual(add, "Wording", "Comment venez-vous ?", "How do you come?");
  const ways: [string, string, string][] = [
    ["walk", "À pied", "On foot"],
    ["bike", "À vélo", "By bike"],
    ["bus", "En bus", "By bus"],
    ["car", "En voiture", "By car"],
    ["train", "En train", "By train"],
    ["taxi", "En taxi", "By taxi"],
    ["other-way", "Autrement", "Another way"],
  ];
  for (const [i, [code, fr, en]] of ways.slice(0, 5).entries()) {
    await add.getByLabel(`Code of answer ${i + 1}`, { exact: true }).fill(code);
    await add.getByLabel(`Label of answer ${i + 1} in French`).fill(fr);
    await add.getByLabel(`Label of answer ${i + 1} in English`).fill(en);
  }
  await expect(add.getByLabel("Code of answer 6", { exact: true })).toHaveCount(0);
  await add.getByRole("button", { name: "More answers" }).click();
  // The form is back, with empty rows to fill, before its rows are read.
  await expect(page.locator("#add").getByLabel("Code of answer 6", { exact: true })).toHaveCount(1);
  expect(await rowsOf(page.locator("#add"))).toEqual(ways.slice(0, 5));
  await expect(page.locator("#add").getByRole("group", { name: "Wording", exact: true }).getByLabel("English")).toHaveValue("How do you come?");
  for (const [i, [code, fr, en]] of ways.slice(5).entries()) {
    await page
      .locator("#add")
      .getByLabel(`Code of answer ${i + 6}`, { exact: true })
      .fill(code);
    await page
      .locator("#add")
      .getByLabel(`Label of answer ${i + 6} in French`)
      .fill(fr);
    await page
      .locator("#add")
      .getByLabel(`Label of answer ${i + 6} in English`)
      .fill(en);
  }
  // A code residents' spreadsheets would choke on: the message names the row and the field, and the page lands on it.
  await page.locator("#add").getByLabel("Code of answer 3", { exact: true }).fill("75+");
  await page.locator("#add").getByRole("button", { name: "Add this question" }).click();
  const summary = page.locator("#errors");
  await expect(summary).toBeFocused();
  expect(new URL(page.url()).hash).toBe("#errors");
  await expect(summary).toContainText("Code of answer 3: The code may hold only lower-case letters, digits, hyphens and underscores");
  await summary.getByRole("link", { name: /Code of answer 3/ }).click();
  await expect(page.locator("#add").getByLabel("Code of answer 3", { exact: true })).toHaveValue("75+");
  await page.locator("#add").getByLabel("Code of answer 3", { exact: true }).fill("bus");
  await page.locator("#add").getByRole("button", { name: "Add this question" }).click();
  const how = page.locator("section.question-editor", { has: page.getByRole("heading", { name: "3. How do you come?" }) });
  await expect(how.getByRole("status")).toHaveText("Question added.");
  await how.getByRole("link", { name: "Edit question 3" }).click();
  await expect(how.getByLabel("Code of answer 1", { exact: true })).toBeVisible(); // its form, once the page has come
  expect(await rowsOf(how)).toEqual(ways);

  // Saving a question confirms beside it.
  await age.getByRole("link", { name: "Edit question 2" }).click();
  await expect(age.getByLabel("Code of answer 1", { exact: true })).toBeVisible(); // its form, once the page has come
  await age.getByRole("group", { name: "Wording", exact: true }).getByLabel("English").fill("Your age?");
  await age.getByRole("button", { name: "Save question 2" }).click();
  const saved = page.locator("section.question-editor", { has: page.getByRole("heading", { name: "2. Your age?" }) });
  await expect(saved.getByRole("status")).toHaveText("Saved.");

  // Duplicated for next year: a draft with the same questions, found in the list by search and status.
  await page.getByRole("link", { name: "← Smart streetlights" }).click();
  await page.getByRole("link", { name: /^Duplicate/ }).click();
  await page.getByLabel("Address (slug)").fill(`${slug}-next`);
  await page.getByRole("button", { name: "Create the copy as a draft" }).click();
  await expect(page.getByRole("status")).toHaveText("Copy created as a draft: check its texts, dates and questions.");
  await page.getByRole("link", { name: "Questionnaire", exact: true }).click();
  await expect(page.getByRole("heading", { name: "3. How do you come?" })).toBeVisible();
  await page.getByRole("link", { name: "Consultations", exact: true }).first().click();
  await page.getByLabel("Search (title or address)").fill(`${slug}-next`);
  await page.getByLabel("Status").selectOption({ label: "draft" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("status")).toContainText("1 consultation of");
  await expect(page.getByRole("table").getByRole("link")).toHaveCount(1);

  // The copy never opened: it can be deleted, after a confirmation.
  await page.getByRole("table").getByRole("link", { name: "Smart streetlights" }).click();
  await page.getByRole("link", { name: "Delete this draft" }).click();
  await page.getByRole("button", { name: "Yes, delete this draft" }).click();
  await expect(page.getByRole("status")).toHaveText("The draft was deleted.");
  await page.getByLabel("Search (title or address)").fill(slug);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("table").getByRole("link")).toHaveCount(1);
  await page.context().close();
});
