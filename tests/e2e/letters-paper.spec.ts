/**
 * The official's journey for letters and paper, by links and buttons only after sign-in: a named
 * batch of letters printed to PDF (and reloaded: no new codes), the short address, a blank paper
 * questionnaire printed to PDF (the proposal and its data card first, the last questions with how
 * to return it), paper forms with a household code (the same code then refused
 * online), a form recorded as written, closing, publication, a paper form inside the grace period
 * ("figures updated on …" everywhere, a new open-data version), the grace period ended.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E, receiptOnPage, staffPage } from "./fixtures";

const slug = E2E.lettersSlug;
const TITLE_EN = "Letters – Sensors in the Market Square?";
const TITLE_FR = "Letters – Des capteurs sur la place du Marché ?";
const dir = mkdtempSync(path.join(tmpdir(), "quorum-pdf-"));

/** Prints the page to PDF as the browser would (print CSS, the page's own paper size) and reads it back. */
async function printed(page: Page, name: string): Promise<{ pages: string[]; size: [number, number] }> {
  const file = path.join(dir, `${name}.pdf`);
  await page.waitForLoadState("load"); // printed once the whole page has arrived, as a person would
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!;
  const size: [number, number] = [Math.round(Number(w)), Math.round(Number(h))];
  const pages = text.split("\f").filter((p) => p.trim() !== "");
  expect(pages.length, `${name}: pages`).toBe(Number(/Pages:\s+(\d+)/.exec(info)![1]));
  return { pages, size };
}
const squash = (s: string) => s.replace(/\s+/g, " ");
/** Without spaces or hyphens: pdftotext may break a code or an address at its hyphen. */
const compact = (s: string) => s.replace(/[\s-]+/g, "");

/** Fills the paper form's three required questions (in English). */
async function fillPaper(page: Page, code: string) {
  await page.getByLabel("Household participation code").fill(code);
  await page.getByRole("checkbox", { name: "4", exact: true }).check();
  await page.getByRole("checkbox", { name: "Air quality" }).check();
  await page.getByRole("checkbox", { name: "30 days" }).check();
}

test("an official mails letters, prints a questionnaire, enters paper forms, publishes, and late forms update the figures openly", async ({ browser }) => {
  test.setTimeout(240_000);
  const official = await staffPage(browser, "official");
  const officialContext = official.context();
  await official.getByRole("link", { name: TITLE_EN }).click();

  // A named batch of three letters, made once.
  await official.getByRole("link", { name: "Participation codes" }).click();
  await official.getByLabel("Name of the batch").fill("rang Saint-Joseph");
  await official.getByLabel("How many letters").fill("3");
  const requestId = await official.locator("input[name=request_id]").inputValue();
  await official.getByRole("button", { name: "Create the batch and show the letters" }).click();
  await expect(official.getByRole("status")).toHaveText("Batch created: 3 codes. Reloading this page creates no more.");
  await expect(official.locator(".letter")).toHaveCount(3);
  const lettersUrl = official.url();
  const codes = await official.locator(".letter-code .code").allInnerTexts();
  expect(codes).toHaveLength(3);
  for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);

  // Reloading the letters, or the same form sent again, makes no code.
  await official.reload();
  await expect(official.locator(".letter")).toHaveCount(3);
  expect(await official.locator(".letter-code .code").allInnerTexts()).toEqual(codes);
  const resent = await official.request.post(lettersUrl.replace(/\/[0-9a-f-]{36}(\?.*)?$/, ""), {
    form: { label: "rang Saint-Joseph", count: "3", request_id: requestId },
    headers: { Origin: new URL(lettersUrl).origin },
    maxRedirects: 0,
  });
  expect(resent.status()).toBe(303);
  expect(new URL(resent.headers()["location"], lettersUrl).pathname).toBe(new URL(lettersUrl).pathname);
  await official.getByRole("link", { name: "← Participation codes" }).click();
  const row = official.getByRole("row", { name: /rang Saint-Joseph/ });
  await expect(row.getByRole("cell").nth(1)).toHaveText("3"); // issued
  await expect(row.getByRole("cell").nth(2)).toHaveText("0"); // used
  await expect(official.getByRole("row")).toHaveCount(2); // the header and one batch

  // The letters printed on A4, one per page: each letter stands alone, in both languages.
  await official.getByRole("link", { name: "rang Saint-Joseph" }).click();
  await expect(official.locator(".letter").first()).toBeVisible();
  const a4 = await printed(official, "letters-a4");
  expect(a4.size).toEqual([595, 842]); // A4 in points
  expect(a4.pages).toHaveLength(3);
  const shortFr = (await official.locator(".letter-side[lang=fr] .short-address").first().innerText()).trim();
  const shortEn = (await official.locator(".letter-side[lang=en] .short-address").first().innerText()).trim();
  expect(shortFr).toMatch(/^127\.0\.0\.1:\d+\/fr\/c\/[2-9A-HJKMNP-Z]{6}$/);
  expect(shortEn).toBe(shortFr.replace("/fr/", "/en/"));
  for (const [i, page] of a4.pages.entries()) {
    const text = squash(page);
    expect(compact(page)).toContain(compact(codes[i]));
    for (const other of codes.filter((_, j) => j !== i)) expect(compact(page)).not.toContain(compact(other));
    expect(text).toContain("Commune de Quorum");
    expect(text).toContain("Votre code / Your code");
    // Two columns side by side: pdftotext may interleave a wrapped title's lines with the other column's.
    for (const word of [...TITLE_FR.split(" "), ...TITLE_EN.split(" ")]) expect(text).toContain(word);
    expect(text).toMatch(/Répondez avant le \d{1,2} \S+ \d{4}/);
    expect(text).toMatch(/Answer before \d{1,2} \S+ \d{4}/);
    expect(text).toContain("Sur papier");
    expect(text).toContain("On paper");
    // The sender block and where to bring the form come from the municipality's settings (the demo's).
    expect(text).toContain("1 place de la Mairie, 00000 Quorum");
    expect(text).toContain("mairie@quorum.example");
    expect(text).toContain(`Lettre ${i + 1} sur 3 · rang Saint-Joseph`);
    for (const short of [shortFr, shortEn]) expect(compact(page)).toContain(compact(short));
  }
  expect(await official.locator(".letter .qr svg").count()).toBe(6);

  // US Letter, two per page with a cut line.
  await official.getByLabel("US Letter").check();
  await official.getByLabel("Two letters per page, with a cut line").check();
  await official.getByRole("button", { name: "Show the letters this way" }).click();
  await expect(official).toHaveURL(/paper=letter&layout=cut/);
  const us = await printed(official, "letters-us-cut");
  expect(us.size).toEqual([612, 792]); // US Letter
  expect(us.pages).toHaveLength(2);
  expect(compact(us.pages[0])).toContain(compact(codes[0]));
  expect(compact(us.pages[0])).toContain(compact(codes[1]));
  expect(compact(us.pages[1])).toContain(compact(codes[2]));
  // Nothing cut off at the bottom of a half-page letter.
  for (const [page, n] of [
    [0, 1],
    [0, 2],
    [1, 3],
  ] as const)
    expect(squash(us.pages[page])).toContain(`Letter ${n} of 3 · rang Saint-Joseph`);

  // A resident follows the short address and answers online with the first letter's code.
  const residentContext = await browser.newContext({ javaScriptEnabled: false });
  const resident = await residentContext.newPage();
  await resident.goto(`http://${shortFr}`);
  await expect(resident).toHaveURL(new RegExp(`/fr/consultations/${slug}$`));
  const answerOnline = async (code: string) => {
    await resident.goto(`/en/consultations/${slug}`);
    await resident.getByLabel(/Participation code/).fill(code);
    await resident.getByRole("radio", { name: "4", exact: true }).check();
    await resident.getByRole("checkbox", { name: "Air quality" }).check();
    await resident.getByRole("radio", { name: "30 days" }).check();
    await resident.getByRole("button", { name: "Send my answers" }).click();
  };
  await answerOnline(codes[0]);
  await receiptOnPage(resident);

  // The blank paper questionnaire, in English then French, printed.
  await official.getByRole("link", { name: "← Participation codes" }).click();
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();
  await official.getByRole("link", { name: "Blank paper questionnaire (to print)" }).click();
  // Printed once the questionnaire is the page shown, not while the link is being followed.
  await expect(official.getByText("How to return this questionnaire")).toBeVisible();
  // How to print it speaks of the questionnaire (the letters' page speaks of letters).
  await expect(official.getByText("only the questionnaire is printed")).toBeVisible();
  await expect(official.getByText("only the letters are printed")).toHaveCount(0);
  const sheetEn = await printed(official, "questionnaire-en");
  const blankEn = squash(sheetEn.pages.join(" "));
  for (const text of [
    "Overall, are you in favour of these sensors?",
    "Which measurements seem useful to you?",
    "Your household's participation code",
    "How to return this questionnaire",
    "Air quality",
  ])
    expect(blankEn).toContain(text);
  // A resident answering on paper reads what one online reads first: the proposal and its data card, in the sheet's language.
  for (const text of [
    "The proposal",
    "The town council is considering installing three sensors in the Market Square for a one-year trial.",
    "About the data",
    "What data would be collected",
    "A count of passers-by per quarter hour;",
    "Why",
    "Adjusting market hours and traffic,",
    "How long it is kept",
    "Detailed measurements are kept for 30 days; after that only daily averages are kept, for 5 years.",
    "Who can see it",
    "The municipality's technical services.",
    "Where the devices would be",
    "On three existing street lamps: in front of the town hall, at the corner of Rue des Halles, and near the bus stop.",
  ])
    expect(blankEn).toContain(text);
  expect(blankEn).not.toContain("Les mesures détaillées");
  expect(blankEn.indexOf("About the data")).toBeLessThan(blankEn.indexOf("Overall, are you in favour of these sensors?"));
  // No question ends the sheet alone: the last page holds the last two questions and how to return it.
  const lastEn = squash(sheetEn.pages.at(-1)!);
  for (const text of ["How old are you?", "Which language do you prefer?", "How to return this questionnaire"]) expect(lastEn).toContain(text);
  await official.getByRole("link", { name: "Other language" }).click();
  await expect(official.getByText("Code de participation de votre foyer")).toBeVisible();
  const sheetFr = await printed(official, "questionnaire-fr");
  const blankFr = squash(sheetFr.pages.join(" "));
  for (const text of [
    "Dans l’ensemble, êtes-vous favorable à ces capteurs ?",
    "Code de participation de votre foyer",
    "Comment rendre ce questionnaire",
    "La qualité de l’air",
    "Le projet",
    "Le conseil municipal étudie l’installation de trois capteurs sur la place du Marché pendant un an, à titre d’essai.",
    "À propos des données",
    "Quelles données seraient collectées",
    "Combien de temps elles sont gardées",
    "Les mesures détaillées sont conservées 30 jours, puis seules les moyennes journalières sont gardées, pendant 5 ans.",
    "Qui peut les voir",
    "Où seraient les appareils",
    "Sur trois lampadaires existants : devant la mairie, à l’angle de la rue des Halles et près de l’arrêt de bus.",
  ])
    expect(blankFr).toContain(text);
  expect(blankFr).not.toContain("Detailed measurements");
  const lastFr = squash(sheetFr.pages.at(-1)!);
  for (const text of ["Quel âge avez-vous ?", "Quelle langue préférez-vous ?", "Comment rendre ce questionnaire"]) expect(lastFr).toContain(text);
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();

  // Paper forms: the second household's code is spent on paper; the first's, used online, is refused.
  await official.getByRole("link", { name: "Enter paper answers" }).click();
  await expect(official.getByRole("heading", { level: 1 })).toHaveText("Paper form data entry");
  await expect(official.getByText("Dans l’ensemble, êtes-vous favorable")).toHaveCount(0); // no proposal, the form's language is the staff's
  await fillPaper(official, codes[0]);
  await official.getByRole("button", { name: "Record this paper form" }).click();
  await expect(official.getByRole("alert")).toContainText("This household already answered");
  await official.getByLabel("Household participation code").fill(codes[1]);
  await official.getByRole("button", { name: "Record this paper form" }).click();
  await expect(official.getByRole("status")).toContainText("Paper form recorded");
  await answerOnline(codes[1]);
  await expect(resident.getByRole("alert")).toContainText(/already been used|already used/);

  // A form with two boxes ticked on a single choice, received ten days ago: refused, then recorded as written.
  const receivedOn = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
  await fillPaper(official, codes[2]);
  await official.getByLabel("Date the form was received").fill(receivedOn);
  await official.getByRole("checkbox", { name: "One year" }).check();
  await official.getByRole("button", { name: "Record this paper form" }).click();
  await expect(official.getByRole("alert")).toContainText("Question 3: Choose only one answer.");
  await official.getByLabel("Record this form as written").check();
  await official.getByRole("button", { name: "Record this paper form" }).click();
  await expect(official.getByRole("status")).toContainText("Recorded as written for questions retention.");

  // Closing and publishing open data.
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();
  await expect(official.getByText("3 answers (web 1, offline 0, paper 2, SMS 0)")).toBeVisible();
  // Answers per day count a paper form on the day it was received, not the day it was typed in.
  const [y, m, d] = receivedOn.split("-").map(Number);
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const byDay = official.getByRole("table", { name: "Answers per day and channel" });
  await expect(byDay.getByRole("row", { name: new RegExp(`^${d} ${MONTHS[m - 1]} ${y} `) }).getByRole("cell")).toHaveText(["0", "0", "1", "0"]);
  await expect(byDay.getByRole("row")).toHaveCount(3); // the header, ten days ago, today
  await official.getByRole("button", { name: "Close now" }).click();
  await official.getByRole("button", { name: "Yes, close it now" }).click();
  await expect(official.getByRole("status")).toHaveText("The consultation is closed.");
  // Closed: the page says when it closed, not that it closes.
  await expect(official.getByText(/Closed on \d{1,2} \S+ \d{4}/)).toBeVisible();
  await expect(official.getByText(/Closes \d/)).toHaveCount(0);
  await official.getByRole("button", { name: "Publish as open data" }).click();
  await expect(official.getByRole("status")).toHaveText("Published as open data.");
  await resident.goto(`/en/consultations/${slug}/results`);
  await expect(resident.getByText(/^Figures published on /)).toBeVisible();
  await expect(resident.getByText(/Figures updated on/)).toHaveCount(0);
  // One date at the top: when the figures were published, not also "as of" the moment the page was asked for.
  await expect(resident.getByText(/Figures as of/)).toHaveCount(0);
  const before = await (await resident.request.get(`/open-data/${slug}/datapackage.json`)).json();
  expect(before.version).toBe("1.0.0");
  await expect(official.getByText(/^Figures version 1, published on /)).toBeVisible();

  // The outcome, published with its English conclusion left empty: refused, the empty field named and linked.
  await official.getByRole("link", { name: "Outcome: what we heard, what we decided" }).click();
  const outcomeField = (part: string, lang: string) => official.getByRole("group", { name: part, exact: true }).getByLabel(lang);
  await outcomeField("What we heard", "French").fill("Trois foyers sur trois ont répondu ; deux sont favorables.");
  await outcomeField("What we heard", "English").fill("Three households out of three answered; two are in favour.");
  await outcomeField("What we decided", "French").fill("Deux capteurs seulement.");
  await official.getByRole("button", { name: "Publish", exact: true }).click();
  const refusal = official.getByRole("alert");
  await expect(refusal).toContainText("To publish, write both parts in both languages.");
  await expect(refusal.getByRole("link")).toHaveText(["What we decided (English): Write this part to publish the outcome."]);
  const missingId = (await refusal.getByRole("link").getAttribute("href"))!.slice(1);
  await expect(outcomeField("What we decided", "English")).toHaveAttribute("id", missingId);
  await expect(outcomeField("What we decided", "English")).toHaveAccessibleDescription(/Write this part to publish the outcome\.$/);
  await expect(outcomeField("What we heard", "English")).toHaveValue("Three households out of three answered; two are in favour."); // kept as typed
  // The same refusal on the French page, in French.
  await official.goto(official.url().replace("/en/", "/fr/").replace(/#.*$/, ""));
  await official.getByRole("group", { name: "Ce que nous avons entendu", exact: true }).getByLabel("français").fill("Trois foyers sur trois ont répondu.");
  await official.getByRole("group", { name: "Ce que nous avons décidé", exact: true }).getByLabel("français").fill("Deux capteurs seulement.");
  await official.getByRole("button", { name: "Publier", exact: true }).click();
  await expect(official.getByRole("alert").getByRole("link")).toHaveText([
    "Ce que nous avons entendu (anglais) : Rédigez cette partie pour publier le bilan.",
    "Ce que nous avons décidé (anglais) : Rédigez cette partie pour publier le bilan.",
  ]);
  await official.goto(official.url().replace("/fr/", "/en/").replace(/#.*$/, ""));
  await outcomeField("What we heard", "French").fill("Trois foyers sur trois ont répondu ; deux sont favorables.");
  await outcomeField("What we heard", "English").fill("Three households out of three answered; two are in favour.");
  await outcomeField("What we decided", "French").fill("Deux capteurs seulement.");
  await outcomeField("What we decided", "English").fill("Two sensors only.");
  await official.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(official.getByRole("status")).toHaveText("Outcome published: residents see it now.");
  await expect(official.getByText(/^Figures version 1, published on /)).toBeVisible();
  await expect(official.locator("#outcome-outdated")).toHaveCount(0);
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();

  // Paper forms received before the closing, entered in the grace period. One alone does not move the public
  // figures (comparing two versions would give its answers away); the fifth since they were published does: a new, dated version.
  await official.getByRole("link", { name: "Participation codes" }).click();
  await official.getByLabel("Name of the batch").fill("late");
  await official.getByLabel("How many letters").fill("6");
  await official.getByRole("button", { name: "Create the batch and show the letters" }).click();
  await expect(official.getByRole("status")).toContainText("Batch created");
  const lateCodes = (await official.locator(".letter-code .code").allInnerTexts()).map((x) => x.trim());
  // Six letters on US Letter, two per page: three full sheets, and no blank page after them.
  await official.getByLabel("US Letter").check();
  await official.getByLabel("Two letters per page, with a cut line").check();
  await official.getByRole("button", { name: "Show the letters this way" }).click();
  await expect(official).toHaveURL(/paper=letter&layout=cut/);
  const even = await printed(official, "letters-us-cut-even"); // every page printed has text: none blank
  expect(even.pages).toHaveLength(3);
  expect(squash(even.pages[2])).toContain("Letter 6 of 6 · late");
  await official.getByRole("link", { name: "← Participation codes" }).click();
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();
  await official.getByRole("link", { name: "Enter paper answers" }).click();
  await expect(official.getByText(/Paper forms received before the closing can be entered until .* \(14 days after the closing\)/)).toBeVisible();
  // Before saving, the page says what the form will change: not the public figures yet.
  const record = official.getByRole("button", { name: "Record this paper form" });
  await expect(record).toHaveAccessibleDescription(
    /^This consultation's figures are published \(version 1\)\. This form does not change them yet: public figures move in steps of at least 5 answers.* With this one, 1 of 5 since the last version\./,
  );
  for (const [i, code] of lateCodes.slice(0, 4).entries()) {
    await fillPaper(official, code);
    await official.getByRole("button", { name: "Record this paper form" }).click();
    await expect(official.getByRole("status")).toContainText("Paper form recorded");
    await expect(official.getByRole("status")).not.toContainText("The published figures are now version");
    // The same status shows after every form: the page counting this one tells the new page has come.
    if (i < 3) await expect(record).toHaveAccessibleDescription(new RegExp(`With this one, ${i + 2} of 5 since the last version\\.`));
    if (i === 0) {
      const unchanged = await (await resident.request.get(`/open-data/${slug}/datapackage.json`)).json();
      expect(unchanged.version).toBe("1.0.0");
    }
  }
  await expect(record).toHaveAccessibleDescription(
    /^This consultation's figures are published \(version 1\)\. Recording this form changes them: they will move from version 1 to version 2/,
  );
  await expect(official.locator("#figures-change")).toContainText(
    "The published outcome quotes version 1 of the figures: after recording, read it again and update it.",
  );
  await fillPaper(official, lateCodes[4]);
  await official.getByRole("button", { name: "Record this paper form" }).click();
  const recorded = official.getByRole("status");
  await expect(recorded).toContainText("Paper form recorded");
  await expect(recorded).toContainText("The published figures are now version 2: the public pages and open data say so.");
  await expect(recorded).toContainText("The published outcome was written on version 1 of the figures; they are now at version 2.");
  await expect(record).toHaveAccessibleDescription(/does not change them yet: .* With this one, 1 of 5 since the last version\./);
  await resident.goto(`/en/consultations/${slug}/results`);
  await expect(resident.getByText(/Figures updated on .* \(version 2\)/)).toBeVisible();
  await resident.goto(`/fr/consultations/${slug}`);
  await expect(resident.getByText(/^Chiffres mis à jour le .*, après leur publication\.$/)).toBeVisible();
  const after = await (await resident.request.get(`/open-data/${slug}/datapackage.json`)).json();
  expect(after.version).toBe("1.1.0");
  expect(Date.parse(after.modified)).toBeGreaterThan(Date.parse(before.modified));
  const catalog = await (await resident.request.get("/open-data/catalog.json")).json();
  const dataset = catalog["dcat:dataset"].find((d: { "dct:identifier": string }) => d["dct:identifier"] === slug);
  expect(dataset["dct:modified"]["@value"]).toBe(after.modified);

  // The consultation, summary and outcome pages show the figures' version and flag the outcome written on version 1.
  const outdated = "The published outcome was written on version 1 of the figures; they are now at version 2. Its figures may be out of date.";
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();
  await expect(official.getByText(/^Figures version 2, published on .* Changed on .*, after their publication/)).toBeVisible();
  await expect(official.locator("#outcome-outdated")).toContainText(outdated);
  await official.getByRole("link", { name: "Summary (printable)" }).click();
  await expect(official.getByText(/^Figures version 2, published on /)).toBeVisible();
  await expect(official.locator("#outcome-outdated")).toContainText(outdated);
  await official.locator("#outcome-outdated").getByRole("link", { name: "Update the outcome" }).click();
  await expect(official.getByRole("heading", { level: 1 })).toHaveText("Outcome");
  await expect(official.locator("#outcome-outdated")).toContainText(outdated);
  await expect(official.locator("#outcome-outdated")).toContainText("then publish it again: it will be marked as written on version 2.");
  // Updated: the text now quotes the new figures, and no page flags it any more.
  await official.getByRole("group", { name: "What we heard", exact: true }).getByLabel("English").fill("Eight households answered; seven are in favour.");
  await official.getByRole("group", { name: "What we heard", exact: true }).getByLabel("French").fill("Huit foyers ont répondu ; sept sont favorables.");
  await official.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(official.getByRole("status")).toHaveText("Outcome published: residents see it now.");
  await expect(official.locator("#outcome-outdated")).toHaveCount(0);
  await official.getByRole("link", { name: `← ${TITLE_EN}` }).click();
  await expect(official.getByText(/^Figures version 2, published on /)).toBeVisible();
  await expect(official.locator("#outcome-outdated")).toHaveCount(0);
  await official.getByRole("link", { name: "Enter paper answers" }).click();

  // The grace period ends (the official sets it to 0 days): paper entry is refused, with a message.
  await official.getByLabel("Days after the closing").fill("0");
  await official.getByRole("button", { name: "Save the period" }).click();
  await expect(official.getByRole("status")).toHaveText("Saved: paper forms can be entered up to 0 days after the closing.");
  await expect(official.getByText("The period for entering paper forms after the closing is over")).toBeVisible();
  await expect(official.getByRole("button", { name: "Record this paper form" })).toBeDisabled();
  const refused = await official.request.post(official.url(), {
    form: { submission_id: crypto.randomUUID(), received_on: "2020-01-01", "q.support": "4" },
    headers: { Origin: new URL(official.url()).origin },
    maxRedirects: 0,
  });
  expect(refused.status()).toBe(409);
  expect(await refused.text()).toContain("The period for entering paper forms after the closing is over");

  // The administrator reads it all in the audit log.
  const admin = await staffPage(browser, "admin");
  const adminContext = admin.context();
  await admin.getByRole("link", { name: "Audit log" }).click();
  // Read once the page is all there, as a person reads it: the log's table, below its filters.
  await expect(admin.getByRole("table")).toBeVisible();
  const log = await admin.content();
  for (const action of ["codes.batch", "codes.print", "paper.enter", "figures.update", "paper.grace", "opendata.publish"]) expect(log).toContain(action);
  await Promise.all([officialContext.close(), residentContext.close(), adminContext.close()]);
});
