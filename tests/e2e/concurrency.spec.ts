import { expect, request as playwrightRequest, test, type Browser, type Page } from "@playwright/test";
import { E2E, formVersion, signIn, staffPage } from "./fixtures";

/** A signed-in official in a browser of their own, without JavaScript (staff pages need none). */
async function official(browser: Browser, role: "official" | "official2"): Promise<Page> {
  return staffPage(browser, role, { javaScriptEnabled: false });
}

async function saveAndExpect(page: Page, button: string, status: number) {
  const posted = page.waitForResponse((r) => r.request().method() === "POST");
  await page.getByRole("button", { name: button, exact: true }).click();
  expect((await posted).status()).toBe(status);
  await page.waitForLoadState();
}

const english = (page: Page, group: string) => page.getByRole("group", { name: group, exact: true }).getByLabel("English");

test("two officials edit the same texts: the second save is refused, with both versions on the page, and saving again is deliberate", async ({
  browser,
  baseURL,
}) => {
  const request = await playwrightRequest.newContext({ baseURL });
  await signIn(request, baseURL!, E2E.official);
  const slug = `race-${Date.now()}`;
  const created = await request.post("/en/staff/consultations/new", {
    form: { slug, mode: "open", "fr.title": "Capteurs de bruit", "en.title": "Noise sensors", "en.summary": "Sensors that count decibels." },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  expect(created.status()).toBe(302);

  const anne = await official(browser, "official");
  const bruno = await official(browser, "official2");
  for (const page of [anne, bruno]) await page.goto(`/en/staff/consultations/${slug}/edit`);

  // Anne saves first.
  await english(anne, "Title").fill("Noise sensors near the school");
  const savedAt = Date.now();
  await saveAndExpect(anne, "Save", 302);
  await expect(anne.getByRole("status")).toHaveText("Saved.");

  // Bruno, from the page he opened before Anne's save, changes the title and the summary.
  await english(bruno, "Title").fill("Noise sensors on the high street");
  await english(bruno, "One-line summary").fill("Bruno’s summary.");
  await saveAndExpect(bruno, "Save", 409);
  const alert = bruno.getByRole("alert");
  await expect(alert).toContainText("This consultation changed since you opened it");
  // It says who saved, and when, in the municipality's time zone (Europe/Paris in these tests), to the minute.
  const saysWhen = (await alert.locator(".saved-by").innerText()).trim();
  const paris = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const inParis = [savedAt, savedAt + 60_000].map((t) => {
    const p = Object.fromEntries(paris.formatToParts(t).map((x) => [x.type, x.value]));
    return `Saved by ${E2E.official} on ${p.day} ${p.month} ${p.year} at ${p.hour}:${p.minute}.`;
  });
  expect(inParis).toContain(saysWhen);
  // His version is still in the form…
  await expect(english(bruno, "Title")).toHaveValue("Noise sensors on the high street");
  await expect(english(bruno, "One-line summary")).toHaveValue("Bruno’s summary.");
  // …and what is saved now is beside it, field by field, only where it differs.
  const saved = alert.locator("dl.saved-now");
  await expect(saved.locator("dt")).toHaveText(["Title (English)", "One-line summary (English)"]);
  await expect(saved.locator("dd")).toHaveText(["Noise sensors near the school", "Sensors that count decibels."]);

  // Nothing of Bruno's was written.
  await anne.goto(`/en/staff/consultations/${slug}/edit`);
  await expect(english(anne, "Title")).toHaveValue("Noise sensors near the school");

  // Having seen Anne's title, Bruno keeps it and saves his summary: this time it goes through.
  await english(bruno, "Title").fill("Noise sensors near the school");
  await saveAndExpect(bruno, "Save", 302);
  await bruno.goto(`/en/staff/consultations/${slug}/edit`);
  await expect(english(bruno, "Title")).toHaveValue("Noise sensors near the school");
  await expect(english(bruno, "One-line summary")).toHaveValue("Bruno’s summary.");

  // Anne's page is now the stale one: in French, her save is refused the same way.
  await anne.goto(`/fr/staff/consultations/${slug}/edit`);
  await bruno.goto(`/fr/staff/consultations/${slug}/edit`);
  await bruno.getByRole("group", { name: "Titre", exact: true }).getByLabel("Anglais").fill("Sensors");
  await saveAndExpect(bruno, "Enregistrer", 302);
  await saveAndExpect(anne, "Enregistrer", 409);
  await expect(anne.getByRole("alert")).toContainText("Cette consultation a été modifiée depuis que vous l’avez ouverte");
  await expect(anne.getByRole("alert").locator(".saved-by")).toHaveText(
    new RegExp(`^Enregistré par ${E2E.official2.replace(/[.]/g, "\\.")} le \\d{1,2} \\S+ \\d{4} à \\d{2}:\\d{2}\\.$`),
  );
  await expect(anne.getByRole("alert").locator("dd")).toHaveText(["Sensors"]);
  await request.dispose();
});

test("two officials edit the same question, or the outcome: the second is refused and keeps what was typed", async ({ browser, baseURL }) => {
  const request = await playwrightRequest.newContext({ baseURL });
  await signIn(request, baseURL!, E2E.official);
  const slug = `race-q-${Date.now()}`;
  const origin = { Origin: baseURL! };
  expect((await request.post("/en/staff/consultations/new", { form: { slug, mode: "open" }, headers: origin, maxRedirects: 0 })).status()).toBe(302);
  const questions = `/en/staff/consultations/${slug}/questions`;
  const add = {
    intent: "add",
    version: "1",
    code: "useful",
    kind: "single",
    "fr.prompt": "Utile ?",
    "en.prompt": "Useful?",
    "options[0].code": "yes",
    "options[0].en": "Yes",
    "options[1].code": "no",
    "options[1].en": "No",
  };
  expect((await request.post(questions, { form: add, headers: origin, maxRedirects: 0 })).status()).toBe(302);

  const anne = await official(browser, "official");
  const bruno = await official(browser, "official2");
  for (const page of [anne, bruno]) {
    await page.goto(questions);
    await page.getByRole("link", { name: "Edit question 1" }).click();
  }
  const wording = (page: Page) => page.locator("#q1-f-en-prompt");
  const answer2 = (page: Page) => page.locator("section.question-editor").first().getByLabel("Label of answer 2 in English");
  await wording(anne).fill("Would it be useful?");
  await saveAndExpect(anne, "Save question 1", 302);
  await wording(bruno).fill("Is this useful to you?");
  await answer2(bruno).fill("Not at all");
  await saveAndExpect(bruno, "Save question 1", 409);
  await expect(bruno.getByRole("alert")).toContainText("This consultation changed since you opened it");
  await expect(wording(bruno)).toHaveValue("Is this useful to you?");
  await expect(answer2(bruno)).toHaveValue("Not at all");
  await expect(bruno.getByRole("alert").locator("dt")).toHaveText(["Wording (English)", "Label of answer 2 in English"]);
  await expect(bruno.getByRole("alert").locator("dd")).toHaveText(["Would it be useful?", "No"]);
  await expect(bruno.getByRole("alert").locator(".saved-by")).toHaveText(/^Saved by official@quorum\.test on \d{1,2} \S+ \d{4} at \d{2}:\d{2}\.$/);

  // A move from a stale page would undo someone else's move: refused too, with the message.
  const second = { ...add, version: await formVersion(request, questions), code: "second", "fr.prompt": "Deux ?", "en.prompt": "Two?" };
  expect((await request.post(questions, { form: second, headers: origin, maxRedirects: 0 })).status()).toBe(302);
  for (const page of [anne, bruno]) await page.goto(questions);
  await saveAndExpect(bruno, "Move question 1 down", 302);
  await saveAndExpect(anne, "Move question 1 down", 409);
  await expect(anne.getByRole("alert")).toContainText("This consultation changed since you opened it");
  await expect(anne.getByRole("alert").locator(".saved-by")).toHaveText(/^Saved by official2@quorum\.test on /);
  await expect(anne.locator("section.question-editor[id^='q-'] h2")).toHaveText(["1. Two?", "2. Would it be useful?"]);

  // The outcome: the same.
  const outcome = `/en/staff/consultations/${slug}/outcome`;
  for (const page of [anne, bruno]) await page.goto(outcome);
  await english(anne, "What we heard").fill("You find it useful.");
  await saveAndExpect(anne, "Save without publishing", 302);
  await english(bruno, "What we heard").fill("Mixed feelings.");
  await saveAndExpect(bruno, "Save without publishing", 409);
  await expect(english(bruno, "What we heard")).toHaveValue("Mixed feelings.");
  await expect(bruno.getByRole("alert").locator("dd")).toHaveText(["You find it useful."]);
  await request.dispose();
});
