import { expect, test } from "@playwright/test";
import { answerDemo, E2E, receiptOnPage } from "./fixtures";

test.use({ javaScriptEnabled: false });

for (const lang of ["fr", "en"] as const) {
  test(`a resident answers the demo in ${lang} without JavaScript and finds the answer counted`, async ({ page }) => {
    await page.goto(`/${lang}/consultations/${E2E.demoSlug}`);
    await answerDemo(page, lang);
    await page.getByRole("button", { name: lang === "fr" ? "Envoyer mes réponses" : "Send my answers" }).click();
    // The thank-you page has a fragment of its own: the form's #errors does not follow the redirect.
    await expect(page).toHaveURL(new RegExp(`/${lang}/consultations/${E2E.demoSlug}/thanks/[^#]+#main$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      lang === "fr" ? "Merci, votre réponse a bien été reçue" : "Thank you, your answer was received",
    );
    const receipt = await receiptOnPage(page);
    await page.getByRole("link", { name: lang === "fr" ? "Vérifier mon reçu" : "Check my receipt" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(lang === "fr" ? "Oui, cette réponse a été comptée" : "Yes, this answer was counted");
    await expect(page.getByText(receipt)).toBeVisible();

    // Typed by hand, in lower case with a space, from the receipts form.
    await page.goto(`/${lang}/receipts`);
    await page.getByLabel(lang === "fr" ? "Code de reçu" : "Receipt code").fill(receipt.toLowerCase().replace("-", " "));
    await page.getByRole("button", { name: lang === "fr" ? "Vérifier" : "Check" }).click();
    await expect(page).toHaveURL(`/${lang}/receipts/${receipt}#main`);
  });

  test(`a receipt code that cannot be read says so in ${lang}: the title, a summary that takes focus, the code kept`, async ({ page }) => {
    await page.goto(`/${lang}/receipts`);
    const field = page.getByRole("textbox", { name: lang === "fr" ? "Code de reçu" : "Receipt code" });
    await field.fill("K7M3");
    await page.getByRole("button", { name: lang === "fr" ? "Vérifier" : "Check" }).click();
    await expect(page).toHaveURL(/#errors$/);
    await expect(page).toHaveTitle(lang === "fr" ? /^Erreur\s: Ma réponse a-t-elle été comptée\s\? – / : /^Error: Was my answer counted\? – /);
    await expect(page.locator("#errors")).toBeFocused();
    await expect(field).toHaveValue("K7M3");
    await page.locator("#errors").getByRole("link").click();
    await expect(field).toBeFocused();
  });
}

test("mistakes come back with status 400, every answer in place and messages in the page's language", async ({ page }) => {
  await page.goto(`/fr/consultations/${E2E.demoSlug}`);
  await answerDemo(page, "fr");
  await page
    .getByRole("radio", { name: "30 jours" })
    .uncheck()
    .catch(() => {});
  await page.getByRole("radio", { name: "Autre", exact: true }).check(); // "Other" without its text
  await page.locator("select[name='q.priorities.rank.alerts']").selectOption("4"); // two items ranked 4
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Envoyer mes réponses" }).click(),
  ]);
  expect(response.status()).toBe(400);
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Un problème empêche l’envoi de vos réponses");
  await expect(summary).toContainText("Question 3 : Vous avez choisi « Autre » : précisez lequel.");
  // The two items that share a rank are named.
  await expect(summary).toContainText(
    "Question 4 : Chaque rang ne peut servir qu’une fois : « Adapter les horaires du marché » et « Alerter lors des pics de pollution » ont tous deux le rang 4.",
  );
  // Everything typed is still there.
  await expect(page.getByRole("radio", { name: "4", exact: true })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "La qualité de l’air" })).toBeChecked();
  await expect(page.getByLabel("Où d’autre")).toHaveValue("Devant l’école, rue Haute");
  await expect(page.getByLabel("inquiétudes")).toHaveValue("Publiez les moyennes.\nGardez peu les détails.");
  await expect(page.getByRole("radio", { name: "À la campagne" })).toBeChecked();
  // The summary links to the field the message is about: the "Other" text box.
  await summary.getByRole("link", { name: /Question 3/ }).click();
  await expect(page).toHaveURL(/#q-retention-othertext$/);
  await expect(page.getByRole("group", { name: /^3\./ }).getByLabel("Autre, précisez")).toBeFocused();
  // Corrected, it goes through.
  await page.getByRole("group", { name: /^3\./ }).getByLabel("Autre, précisez").fill("Une semaine");
  await page.locator("select[name='q.priorities.rank.alerts']").selectOption("3");
  await page.locator("select[name='q.priorities.rank.trees']").selectOption("2");
  await page.locator("select[name='q.priorities.rank.opendata']").selectOption("1");
  await page.locator("select[name='q.priorities.rank.hours']").selectOption("4");
  await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
  await expect(page).toHaveURL(/\/thanks\//);
});

test("the same POST sent three times gives the same receipt; two submissions give two", async ({ page, request }) => {
  await page.goto(`/en/consultations/${E2E.demoSlug}`);
  const submissionId = await page.locator("input[name=submission_id]").inputValue();
  const body = (id: string) =>
    new URLSearchParams([
      ["submission_id", id],
      ["q.support", "2"],
      ["q.measures", "none"],
      ["q.retention", "1d"],
    ]).toString();
  const post = (id: string) =>
    request.post(`/en/consultations/${E2E.demoSlug}`, {
      data: body(id),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      maxRedirects: 0,
    });
  const locations = [];
  for (let i = 0; i < 3; i++) {
    const res = await post(submissionId);
    expect(res.status()).toBe(303);
    locations.push(res.headers()["location"]);
  }
  expect(new Set(locations).size).toBe(1);
  const other = await post(crypto.randomUUID());
  expect(other.headers()["location"]).not.toBe(locations[0]);
});

test("a closed consultation refuses answers with a clear message and keeps them on the page", async ({ page, request }) => {
  const res = await page.goto(`/en/consultations/${E2E.closedSlug}`);
  expect(res?.status()).toBe(200);
  await expect(page.getByText("This consultation is closed.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Send my answers" })).toHaveCount(0);
  // A form kept open in a tab from before the closing.
  const post = await request.post(`/en/consultations/${E2E.closedSlug}`, {
    form: { submission_id: crypto.randomUUID(), "q.support": "5", "q.measures": "air", "q.retention": "1y", "q.comments": "Kept for me" },
  });
  expect(post.status()).toBe(409);
  const html = await post.text();
  expect(html).toContain("This consultation is closed: answers are no longer accepted.");
  expect(html).toContain("Kept for me</textarea>");
});

test("code mode: a wrong or used code gets a clear message and the answers stay", async ({ page }) => {
  const url = `/fr/consultations/${E2E.codeSlug}`;
  const send = async (code: string) => {
    await page.goto(url);
    await page.getByLabel("Code de participation").fill(code);
    await answerDemo(page, "fr");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Envoyer mes réponses" }).click(),
    ]);
    return response.status();
  };
  expect(await send("WRONG-CODE2")).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Ce code de participation n’est pas valable");
  await expect(page.getByLabel("Code de participation")).toHaveValue("WRONG-CODE2");
  await expect(page.getByLabel("Où d’autre")).toHaveValue("Devant l’école, rue Haute");

  expect(await send(E2E.codes[0].toLowerCase())).toBe(303);
  await expect(page).toHaveURL(/\/thanks\//);

  expect(await send(E2E.codes[0])).toBe(409);
  await expect(page.getByRole("alert")).toContainText("Ce code de participation a déjà été utilisé");
  await expect(page.getByRole("checkbox", { name: "Le bruit" })).toBeChecked();
});

test("the whole flow works by keyboard", async ({ page }) => {
  await page.goto(`/en/consultations/${E2E.demoSlug}`);
  // Skip link first.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await page.getByRole("radio", { name: /^1 – / }).focus();
  await page.keyboard.press("ArrowRight"); // moves to 2 and selects it
  await expect(page.getByRole("radio", { name: "2", exact: true })).toBeChecked();
  await page.getByRole("checkbox", { name: "Noise" }).focus();
  await page.keyboard.press("Space");
  await page.getByRole("radio", { name: "24 hours" }).focus();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Send my answers" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/thanks\//);
  const target = page.getByRole("link", { name: "Check my receipt" });
  for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(target).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Yes, this answer was counted");
});

test("a wrong participation code is said at once with the answers' other mistakes", async ({ page }) => {
  await page.goto(`/en/consultations/${E2E.codeSlug}`);
  await page.getByLabel("Participation code").fill("WRONG-CODE2");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Send my answers" }).click(),
  ]);
  expect(response.status()).toBe(400);
  const summary = page.locator("#errors");
  await expect(summary).toBeFocused();
  // The code and the unanswered required questions, in one summary.
  await expect(summary.getByRole("link", { name: /participation code is not valid/ })).toHaveCount(1);
  await expect(summary.getByRole("link", { name: /^Question \d+/ }).first()).toBeVisible();
  await expect(page.getByLabel("Participation code")).toHaveValue("WRONG-CODE2");
});

test("no answer field lets the browser remember what was typed for the next person", async ({ page }) => {
  await page.goto(`/fr/consultations/${E2E.codeSlug}`);
  const typed = page.locator("form.questionnaire").locator("input[type=text], textarea");
  // The demo's free texts, its "Other" box and the household code.
  expect(await typed.count()).toBeGreaterThanOrEqual(4);
  for (const field of await typed.all()) await expect(field).toHaveAttribute("autocomplete", "off");
});

for (const script of [true, false]) {
  test(`Back from the thank-you page shows an empty form, not the last person's choices (JavaScript ${script ? "on" : "off"})`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: script });
    const page = await context.newPage();
    await page.goto(`/fr/consultations/${E2E.demoSlug}`);
    await answerDemo(page, "fr");
    await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
    await expect(page).toHaveURL(/\/thanks\/[^/]+#main$/);
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Des capteurs sur la place du Marché");
    await expect(page.locator("form.questionnaire input:checked")).toHaveCount(0);
    for (const field of await page.locator("form.questionnaire").locator("input[type=text], textarea, select").all()) await expect(field).toHaveValue("");
    await context.close();
  });
}
