/**
 * Long staff pages, without JavaScript (staff pages do not hydrate, decision 042): the builder shows
 * one question's form at a time and the others as a list; after an action on the moderation and
 * themes pages the address names the item acted on, the item has that id, and the page is
 * scrolled to it.
 */
import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { E2E, signIn, staffPage } from "./fixtures";

/** Forms with a field to type in: the question forms, not the buttons that move or remove one. */
const fieldForms = (page: Page) => page.locator("form").filter({ has: page.locator("input[type=text], textarea") });
const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight);
const hashOf = (page: Page) => new URL(page.url()).hash;
const headings = (page: Page) => page.locator("section.question-editor[id^='q-'] h2");

test("the builder lists its questions and opens one question's form at a time; adding, editing, moving and removing still work", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await staffPage(browser, "official", { javaScriptEnabled: false });
  const slug = `one-at-a-time-${Date.now()}`;
  // A draft copy of the demo: nine questions, most with answers to choose from.
  await page.goto(`/en/staff/consultations/${E2E.demoSlug}`);
  await page.getByRole("link", { name: /^Duplicate/ }).click();
  await page.getByLabel("Address (slug)").fill(slug);
  await page.getByRole("button", { name: "Create the copy as a draft" }).click();
  await page.getByRole("link", { name: "Questionnaire", exact: true }).click();

  const questions = page.locator("section.question-editor[id^='q-']");
  await expect(questions).toHaveCount(9);
  // Each question in a line: its text, its kind and a link to edit it; the one form is for a new question.
  const third = questions.nth(2);
  await expect(third.getByRole("heading")).toHaveText("3. How long should detailed measurements be kept?");
  await expect(third).toContainText("Single choice · code retention");
  await expect(fieldForms(page)).toHaveCount(1);
  await expect(page.locator("#add form")).toHaveCount(1);
  // With every question's form, as before, this page was about 13,000 px high at 1280 px wide.
  const listed = await pageHeight(page);
  expect(listed).toBeLessThan(4_000);

  // Editing one: its form, in its place, and no other.
  await third.getByRole("link", { name: "Edit question 3" }).click();
  const id = (await third.getAttribute("id"))!;
  expect(new URL(page.url()).searchParams.get("edit")).toBe(id.replace(/^q-/, ""));
  expect(hashOf(page)).toBe(`#${id}`);
  await expect(fieldForms(page)).toHaveCount(1);
  await expect(third.locator("form").filter({ has: page.getByLabel("Code of answer 1", { exact: true }) })).toHaveCount(1);
  await expect(page.locator("#add")).toHaveCount(0);
  await expect(third.getByRole("group", { name: "Wording", exact: true }).getByLabel("English")).toHaveValue("How long should detailed measurements be kept?");
  expect(await pageHeight(page)).toBeLessThan(listed + 2_500);

  // A mistake in it lands on the error summary, beside the form that is still open with what was typed.
  await third.getByLabel("Code of answer 1", { exact: true }).fill("1 day");
  await third.getByRole("button", { name: "Save question 3" }).click();
  expect(hashOf(page)).toBe("#errors");
  await expect(third.locator("#errors")).toContainText("Code of answer 1: The code may hold only lower-case letters");
  await expect(page.locator("#errors")).toBeInViewport();
  await expect(third.getByLabel("Code of answer 1", { exact: true })).toHaveValue("1 day");
  await expect(fieldForms(page)).toHaveCount(1);

  // Saved: back to the list, the confirmation beside the question.
  await third.getByLabel("Code of answer 1", { exact: true }).fill("1d");
  await third.getByRole("group", { name: "Wording", exact: true }).getByLabel("English").fill("How long should we keep the data?");
  await third.getByRole("button", { name: "Save question 3" }).click();
  expect(hashOf(page)).toBe(`#${id}`);
  await expect(third.getByRole("heading")).toHaveText("3. How long should we keep the data?");
  await expect(third.getByRole("status")).toHaveText("Saved.");
  await expect(fieldForms(page)).toHaveCount(1);
  await expect(page.locator("#add form")).toHaveCount(1);

  // Opened, then closed without saving.
  await third.getByRole("link", { name: "Edit question 3" }).click();
  await third.getByRole("link", { name: "Close question 3 without saving" }).click();
  await expect(third.getByRole("link", { name: "Edit question 3" })).toBeVisible();

  // Moved up from the list, removed from the list.
  await third.getByRole("button", { name: "Move question 3 up" }).click();
  await expect(headings(page).nth(1)).toHaveText("2. How long should we keep the data?");
  await expect(page.locator(`#${id}`).getByRole("status")).toHaveText("Question moved.");
  await page.getByRole("button", { name: "Remove question 9" }).click();
  await expect(page.getByRole("status")).toHaveText("Question removed.");
  await expect(questions).toHaveCount(8);

  // Added from the form below the list, while another question is open: the link brings the form back.
  await questions.nth(0).getByRole("link", { name: "Edit question 1" }).click();
  await expect(page.locator("#add")).toHaveCount(0);
  await page.getByRole("link", { name: "Add a question", exact: true }).click();
  const add = page.locator("#add");
  await add.getByLabel("Kind").selectOption({ label: "Short text" });
  await add.getByLabel("Code", { exact: true }).fill("street");
  await add.getByRole("group", { name: "Wording", exact: true }).getByLabel("French").fill("Votre rue ?");
  await add.getByRole("group", { name: "Wording", exact: true }).getByLabel("English").fill("Your street?");
  await add.getByRole("button", { name: "Add this question" }).click();
  await expect(questions).toHaveCount(9);
  await expect(questions.nth(8).getByRole("heading")).toHaveText("9. Your street?");
  await expect(questions.nth(8).getByRole("status")).toHaveText("Question added.");
  expect(hashOf(page)).toBe(`#${await questions.nth(8).getAttribute("id")}`);
  await page.context().close();
});

test("after hiding, restoring, creating a theme, tagging, quoting and accepting suggestions, the page returns to what was acted on", async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(120_000);
  // An open copy of the demo, answered by thirty residents who each wrote a text.
  const official = await playwrightRequest.newContext({ baseURL });
  await signIn(official, baseURL!, E2E.official);
  const origin = { Origin: baseURL! };
  const slug = `place-${Date.now()}`;
  const staff = `/en/staff/consultations/${slug}`;
  expect((await official.post(`/en/staff/consultations/${E2E.demoSlug}/duplicate`, { form: { slug }, headers: origin, maxRedirects: 0 })).status()).toBe(302);
  expect((await official.post(staff, { form: { intent: "open", confirmed: "yes" }, headers: origin, maxRedirects: 0 })).status()).toBe(302);
  await official.dispose();
  for (let i = 1; i <= 30; i++) {
    const form = {
      submission_id: crypto.randomUUID(),
      "q.support": "4",
      "q.measures": "air",
      "q.retention": "30d",
      "q.comments": `Remarque numéro ${i}`,
      "q.area": "rural",
    };
    expect((await request.post(`/fr/consultations/${slug}`, { form, maxRedirects: 0 })).status()).toBe(303);
  }

  const page = await staffPage(browser, "moderator", { javaScriptEnabled: false });
  // A text of the list (moderation) or of the queue (themes), not of the suggestions.
  const text = (n: number) => page.locator("ol.moderation > li").filter({ has: page.getByText(`Remarque numéro ${n}`, { exact: true }) });
  /** The page landed on `item`: the address names it, it has that id, it is in view and the top of the page is not. */
  const landedOn = async (id: string) => {
    expect(hashOf(page)).toBe(`#${id}`);
    await expect(page.locator(`[id="${id}"]`)).toHaveCount(1);
    await expect(page.locator(`[id="${id}"]`)).toBeInViewport();
    await expect(page.getByRole("heading", { level: 1 })).not.toBeInViewport();
  };

  // Hidden from the visible texts: back at the text, kept in its place with a way to undo.
  await page.goto(`${staff}/moderation`);
  const item = text(12);
  const answerId = (await item.getAttribute("id"))!;
  expect(answerId).toMatch(/^answer-\d+$/);
  await item.getByLabel("Reason").fill("Off topic");
  await item.getByRole("button", { name: "Hide" }).click();
  await landedOn(answerId);
  await expect(page.locator(`#${answerId}`)).toContainText("Remarque numéro 12");
  await expect(page.locator(`#${answerId}`)).toContainText("Hidden: Off topic");
  await expect(page.locator(`#${answerId}`).getByRole("status")).toHaveText("Text hidden.");
  await expect(page.getByRole("status")).toHaveCount(1);
  // Restored from there: the same place.
  await page.locator(`#${answerId}`).getByLabel("Reason").fill("Fine after all");
  await page.locator(`#${answerId}`).getByRole("button", { name: "Restore" }).click();
  await landedOn(answerId);
  await expect(page.locator(`#${answerId}`).getByRole("status")).toHaveText("Text restored.");

  // A theme created: at the theme.
  await page.goto(`${staff}/themes`);
  const create = page.locator("form").filter({ has: page.getByRole("button", { name: "Create the theme" }) });
  // With no theme yet, the form for a new one is open.
  await create.getByRole("group", { name: "French" }).getByLabel("Name").fill("Remarques");
  await create.getByRole("group", { name: "French" }).getByLabel("Keywords").fill("remarque");
  await create.getByRole("group", { name: "English" }).getByLabel("Name").fill("Remarks");
  await create.getByRole("button", { name: "Create the theme" }).click();
  const themeId = hashOf(page).slice(1);
  expect(themeId).toMatch(/^theme-[0-9a-f-]{36}$/);
  await expect(page.locator(`#${themeId}`)).toContainText("Edit, merge or retire “Remarks” (t1)");
  await expect(page.locator(`#${themeId}`)).toBeInViewport();
  await expect(page.locator(`#${themeId}`).getByRole("status")).toHaveText("Theme created.");

  // Tagged by hand from the untagged texts: back at the first text tagged, still shown once, with its theme.
  await page.goto(`${staff}/themes?theme=untagged`);
  for (const n of [20, 8]) await text(n).getByRole("checkbox").check();
  const tagged = (await text(20).getAttribute("id"))!;
  await page.getByLabel("Theme for the selected answers").selectOption({ label: "Remarks" });
  await page.getByRole("button", { name: "Apply to the selected answers" }).click();
  await landedOn(tagged);
  await expect(page.locator(`#${tagged}`).getByRole("status")).toHaveText("Theme applied.");
  await expect(page.locator(`#${tagged}`)).toContainText("This text no longer matches the filter");
  await expect(page.locator(`#${tagged}`).getByRole("list", { name: "Themes of this answer" })).toContainText("Remarks");
  await expect(text(8)).toContainText("This text no longer matches the filter");

  // Marked as a quote from there: the same place.
  await page.locator(`#${tagged}`).getByRole("button", { name: "Mark as a quote of “Remarks”" }).click();
  await landedOn(tagged);
  await expect(page.locator(`#${tagged}`).getByRole("status")).toHaveText("Quote marked.");
  await expect(page.locator(`#${tagged}`)).toContainText("representative quote");

  // Suggestions accepted: at the suggestions, where the next ones are.
  await page.goto(`${staff}/themes`);
  await page.locator('input[name="pick"]').first().check();
  await page.getByRole("button", { name: "Accept the selected suggestions" }).click();
  expect(hashOf(page)).toBe("#suggestions");
  await expect(page.locator("#suggestions")).toBeInViewport();
  await expect(
    page
      .locator("section")
      .filter({ has: page.locator("#suggestions") })
      .getByRole("status"),
  ).toHaveText("Suggestions accepted: the answers are tagged.");
  await page.context().close();
});
