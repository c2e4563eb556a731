/**
 * The municipality's own Quorum, the way its people use it: an administrator sets its name, logo
 * and contact, and residents see them in both languages, in open data, on letters, the blank paper
 * questionnaire and the printed summary (PDFs read back with pdftotext and pdfimages);
 * a resident asks to be told of the outcome, confirms from the email, and hears once, after which
 * the address is gone; a forgotten password is reset from an email. Mail goes through a real SMTP
 * server (tests/e2e/mailbox.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { MAILBOX } from "../../playwright.config";
import type { Received } from "../helpers/smtp";
import { answerDemo, axeOn, E2E, receiptOnPage, staffPage } from "./fixtures";

const mailbox = `http://127.0.0.1:${MAILBOX.http}`;

async function mailsTo(request: APIRequestContext, to: string, count: number): Promise<Received[]> {
  let found: Received[] = [];
  await expect
    .poll(
      async () => {
        const all = (await (await request.get(`${mailbox}/messages`)).json()) as Received[];
        found = all.filter((m) => m.to === to);
        return found.length;
      },
      { message: `${count} message(s) to ${to}`, timeout: 20_000 },
    )
    .toBe(count);
  return found;
}

const linkIn = (text: string, path: RegExp) => {
  const match = text.match(new RegExp(`http://127\\.0\\.0\\.1:\\d+${path.source}`));
  expect(match, `a link ${path} in:\n${text}`).not.toBeNull();
  return match![0];
};

/** Prints the page as the browser would and reads it back: its text, and how many images it draws. */
async function printed(page: Page, name: string): Promise<{ text: string; images: number }> {
  await page.waitForLoadState("load"); // printed once the whole page (its logo too) has arrived
  const file = path.join(mkdtempSync(path.join(tmpdir(), "quorum-logo-")), `${name}.pdf`);
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  // `pdfimages -list`: two header lines, then one line per image drawn (QR codes and bars are vectors, not images).
  const images = execFileSync("pdfimages", ["-list", file], { encoding: "utf8" }).trim().split("\n").length - 2;
  return { text, images };
}

/** A real PNG the browser draws (a blue square with a white bar), as an official would export a logo. */
async function drawnLogo(page: Page, type: "png" | "jpeg"): Promise<Buffer> {
  await page.setContent(
    `<div style="width:120px;height:60px;background:#0b4f8a"><div style="position:relative;top:25px;height:10px;background:#fff"></div></div>`,
  );
  return page.locator("div").first().screenshot({ type });
}

test("an administrator's name, logo and contact reach every resident page, open data and the printed summary", async ({ browser, request }) => {
  test.setTimeout(150_000);
  const page = await staffPage(browser, "admin");
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Municipality settings" })).toBeVisible();

  // Wrong files first: an SVG, a file too large; the form comes back with what was typed.
  await page.getByLabel("Name of the municipality (French)").fill("Ville de Saint-Exemple");
  await page.getByLabel("Name of the municipality (English)").fill("Town of Saint-Exemple");
  await page.getByLabel("Short name (French)").fill("Saint-Exemple");
  await page.getByLabel("Short name (English)").fill("Saint-Exemple");
  await page.getByLabel("Logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
  await page.getByRole("button", { name: "Save the settings" }).click();
  // At the field, and in the summary at the top as a link to it.
  await expect(page.locator("#f-logo-error")).toHaveText("This file is not a PNG, WebP or JPEG image (SVG is not accepted).");
  await expect(page.locator("#errors").getByRole("link", { name: "Logo: This file is not a PNG, WebP or JPEG image (SVG is not accepted)." })).toBeVisible();
  await expect(page.getByLabel("Name of the municipality (French)")).toHaveValue("Ville de Saint-Exemple");
  await page.getByLabel("Logo").setInputFiles({ name: "big.jpg", mimeType: "image/jpeg", buffer: Buffer.alloc(25 * 1024, 0xff) });
  await page.getByRole("button", { name: "Save the settings" }).click();
  await expect(page.locator("#f-logo-error")).toHaveText("This logo is over 20 KB: make it smaller and send it again.");
  await page.getByLabel("Email address").first().fill("not an address");
  await page.getByRole("button", { name: "Save the settings" }).click();
  await expect(page.locator(".field.has-error").getByLabel("Email address")).toHaveValue("not an address");

  const logo = await drawnLogo(await (await browser.newContext()).newPage(), "png");
  expect(logo.length).toBeLessThan(20 * 1024);
  await page.getByLabel("Logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: logo });
  await page.getByLabel("Email address").first().fill("mairie@saint-exemple.example");
  await page.getByLabel("Phone").fill("+33 2 40 00 00 00");
  // Typed on two lines, as an address is written on an envelope.
  await page.getByLabel("Postal address").first().fill("Place de l’Église\n44000 Saint-Exemple");
  await page.getByRole("button", { name: "Save the settings" }).click();
  await expect(page.getByText("Settings saved: every page uses them now.")).toBeVisible();
  expect(
    await axeOn(page)
      .analyze()
      .then((r) => r.violations.map((v) => v.id)),
  ).toEqual([]);

  // Resident pages, in both languages, with JavaScript off as on an old phone.
  const resident = await browser.newContext({ javaScriptEnabled: false });
  const r = await resident.newPage();
  for (const [lang, name] of [
    ["fr", "Ville de Saint-Exemple"],
    ["en", "Town of Saint-Exemple"],
  ] as const) {
    await r.goto(`/${lang}/consultations/${E2E.demoSlug}`);
    await expect(r.locator("header.site .brand")).toContainText("Saint-Exemple");
    const img = r.locator("header.site .brand img");
    const src = await img.getAttribute("src");
    expect(src).toMatch(/^\/logo\/[0-9a-f]{32}\.png$/);
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(120);
    await expect(r.locator("footer.site")).toContainText(name);
    await expect(r.locator("footer.site")).toContainText("mairie@saint-exemple.example");
    await expect(r.locator("footer.site")).toContainText("Place de l’Église, 44000 Saint-Exemple");
    // Still within the first round trip's budget with the logo.
    const html = await (await request.get(`/${lang}/consultations/${E2E.demoSlug}`)).text();
    expect(gzipSync(html, { level: 9 }).length).toBeLessThanOrEqual(14 * 1024);
    // The logo is served as what its bytes are, cached for good, never sniffed.
    const served = await request.get(src!);
    expect(served.headers()["content-type"]).toBe("image/png");
    expect(served.headers()["cache-control"]).toContain("immutable");
    expect(served.headers()["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.compare(await served.body(), logo)).toBe(0);
  }
  await resident.close();

  // Open data names the publisher in its catalogue, in both languages.
  const catalog = await (await request.get("/open-data/catalog.json")).json();
  expect(JSON.stringify(catalog["dct:publisher"])).toContain("Town of Saint-Exemple");
  expect(JSON.stringify(catalog["dct:publisher"])).toContain("Ville de Saint-Exemple");

  // The printed summary's running title.
  await page.goto(`/en/staff/consultations/${E2E.demoSlug}/summary`);
  const css = await (await page.request.get(`/en/staff/consultations/${E2E.demoSlug}/summary.css`)).text();
  expect(css).toContain("Town of Saint-Exemple");
  // Printed, it opens with the logo (the site's header, which shows it on screen, is not printed).
  expect((await printed(page, "summary-logo")).images).toBe(1);

  // Letters: the logo beside the sender, whose postal address keeps its two lines.
  await page.goto(`/en/staff/consultations/${E2E.codeSlug}/codes`);
  await page.getByLabel("Name of the batch").fill("With the logo");
  await page.getByLabel("How many letters").fill("2");
  await page.getByRole("button", { name: "Create the batch and show the letters" }).click();
  await expect(page.locator(".letter")).toHaveCount(2);
  const letters = await printed(page, "letters-logo");
  expect(letters.images).toBe(2); // one logo on each letter
  expect(letters.text).toContain("Ville de Saint-Exemple / Town of Saint-Exemple");
  // Each line of the address on a line of its own (the sender block), not run into one.
  await expect(page.locator(".letter-from").first()).toContainText("Place de l’Église\n44000 Saint-Exemple", { useInnerText: true });
  expect(letters.text).toMatch(/^Place de l’Église$/m);
  expect(letters.text).toMatch(/^44000 Saint-Exemple$/m);
  // The blank paper questionnaire too.
  await page.goto(`/en/staff/consultations/${E2E.codeSlug}/questionnaire`);
  const sheet = await printed(page, "questionnaire-logo");
  expect(sheet.images).toBe(1);
  expect(sheet.text).toMatch(/^Place de l’Église$/m);
  expect(sheet.text).toMatch(/^44000 Saint-Exemple$/m);
  await page.context().close();
});

test("a resident asks to be told, confirms from the email, hears once when the outcome is published, and the address is gone", async ({ browser, request }) => {
  test.setTimeout(150_000);
  const email = `resident-${Date.now()}@example.org`;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/en/consultations/${E2E.notifySlug}`);
  await answerDemo(page, "en");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await receiptOnPage(page);
  const invite = page.locator("section.notify");
  await expect(invite.getByRole("heading", { name: "Hear about the results" })).toBeVisible();
  await invite.getByRole("link", { name: "Tell me by email" }).click();
  // The page that takes the address knows nothing of the answer: no receipt in its address or its request.
  expect(page.url()).toMatch(new RegExp(`/en/consultations/${E2E.notifySlug}/notify$`));
  await page.getByLabel("Your email address").fill("not-an-address");
  await page.getByRole("button", { name: "Tell me by email" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter a full email address");
  await expect(page.getByLabel("Your email address")).toHaveValue("not-an-address");
  // (axe needs JavaScript in the page: these pages are checked by tests/e2e/accessibility.spec.ts.)
  await page.getByLabel("Your email address").fill(email);
  await page.getByRole("button", { name: "Tell me by email" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

  const [confirmation] = await mailsTo(request, email, 1);
  expect(confirmation.subject).toBe("Confirm: hear about the results – Notify – Sensors in the Market Square?");
  expect(confirmation.lang).toBe("en");
  await page.goto(linkIn(confirmation.text, /\/en\/notify\/confirm\/\S+/));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("Confirmed.");

  // The official sees a count, never the address; closes and publishes the outcome.
  const official = await staffPage(browser, "official");
  const staff = official.context();
  await official.goto(`/en/staff/consultations/${E2E.notifySlug}`);
  await expect(official.locator("#told")).toContainText("Residents waiting to be told of the publication: 1");
  expect(await official.content()).not.toContain(email);
  await official.getByRole("button", { name: "Close now" }).click();
  await official.getByRole("button", { name: "Yes, close it now" }).click();
  await expect(official.getByText("The consultation is closed.")).toBeVisible();
  await official
    .getByRole("link", { name: /Outcome/ })
    .first()
    .click();
  for (const [name, value] of [
    ["fr.heard", "Vous avez demandé des moyennes publiques."],
    ["fr.decided", "Les capteurs seront posés au printemps."],
    ["en.heard", "You asked for public averages."],
    ["en.decided", "The sensors will be installed in spring."],
  ])
    await official.locator(`[name="${name}"]`).fill(value);
  await official.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(official.getByText("Outcome published: residents see it now.")).toBeVisible();

  const [, notice] = await mailsTo(request, email, 2);
  expect(notice.subject).toBe("The decision is published – Notify – Sensors in the Market Square?");
  const link = linkIn(notice.text, /\/en\/consultations\/\S+/);
  expect(new URL(link).pathname).toBe(`/en/consultations/${E2E.notifySlug}`);
  await page.goto(link);
  await expect(page.getByText("The sensors will be installed in spring.")).toBeVisible();
  // The address is gone: its links say so, and the official's count is back to none.
  await page.goto(linkIn(notice.text, /\/en\/notify\/stop\/\S+/));
  await expect(page.getByText("This address is no longer kept")).toBeVisible();
  await official.goto(`/en/staff/consultations/${E2E.notifySlug}`);
  await expect(official.locator("#told")).toContainText("Residents waiting to be told of the publication: 0");
  await Promise.all([context.close(), staff.close()]);
});

test("a forgotten password is reset from an email, once, and the old sessions end", async ({ browser, request }) => {
  test.setTimeout(150_000);
  // An administrator invites a moderator: the invitation arrives by email, in French.
  const email = `moderator-${Date.now()}@example.org`;
  const admin = await staffPage(browser, "admin");
  const adminContext = admin.context();
  await admin.getByRole("link", { name: "Staff accounts" }).click();
  await admin.getByLabel("Email address").fill(email);
  await admin.getByLabel("Role", { exact: true }).selectOption("moderator");
  await admin.getByLabel("Language of the invitation").selectOption("fr");
  await admin.getByRole("button", { name: "Create the invitation link" }).click();
  await expect(admin.getByText(`Invitation emailed to ${email}.`)).toBeVisible();
  const [invitation] = await mailsTo(request, email, 1);
  expect(invitation.subject).toMatch(/^Invitation à Quorum – /);
  const joined = await browser.newContext();
  const person = await joined.newPage();
  await person.goto(linkIn(invitation.text, /\/fr\/staff\/invitations\/\S+/));
  await person.getByLabel("Nouveau mot de passe", { exact: true }).fill("the first long password");
  await person.getByLabel("Nouveau mot de passe, à nouveau").fill("the first long password");
  await person.getByRole("button").last().click();
  await expect(person).toHaveURL(/\/fr\/staff(#main)?$/);

  // Forgotten: from another browser, through the sign-in page's link.
  const other = await browser.newContext();
  const p = await other.newPage();
  await p.goto("/en/staff/login");
  await p.getByRole("link", { name: "Forgot your password?" }).click();
  await p.getByLabel("Email address").fill(email);
  await p.getByRole("button", { name: "Send the link" }).click();
  await expect(p.getByRole("status")).toContainText("If an active account has this address");
  const [, reset] = await mailsTo(request, email, 2);
  const link = linkIn(reset.text, /\/en\/staff\/reset\/\S+/);
  await p.goto(link);
  await p.getByLabel("New password", { exact: true }).fill("the second long password");
  await p.getByLabel("New password again").fill("the second long password");
  await p.getByRole("button", { name: "Change the password" }).click();
  await expect(p).toHaveURL(/\/en\/staff(#main)?$/);
  // Used once: the link is refused; the first browser's session has ended.
  await p.goto(link);
  await expect(p.getByText("This link has already been used or has expired")).toBeVisible();
  await person.goto("/fr/staff");
  await expect(person).toHaveURL(/\/fr\/staff\/login/);
  // An address with no account gets the same answer, and no email.
  await p.goto("/en/staff/forgot");
  await p.getByLabel("Email address").fill(`nobody-${Date.now()}@example.org`);
  await p.getByRole("button", { name: "Send the link" }).click();
  await expect(p.getByRole("status")).toContainText("If an active account has this address");
  await Promise.all([adminContext.close(), joined.close(), other.close()]);
});

test("the municipality's name reads as a sentence needs it, one language per paragraph: emails, the privacy page, the paper questionnaire", async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const admin = await staffPage(browser, "admin");
  await admin.getByRole("link", { name: "Settings" }).click();
  await admin.getByLabel("Name of the municipality (French)").fill("Municipalité de Saint-Damien");
  await admin.getByLabel("Name of the municipality (English)").fill("Municipality of Saint-Damien");
  // Left blank, the sentence forms are made from the name.
  await admin.getByLabel("Name within a sentence (French)").fill("");
  await admin.getByLabel("Name within a sentence (English)").fill("");
  await admin.locator('[name="privacyOfficer.name"]').fill("Claire Dumas");
  await admin.locator('[name="contact.address"]').fill("2 rue de l’Église, 12345 Saint-Damien");
  await admin.getByRole("button", { name: "Save the settings" }).click();
  await expect(admin.getByText("Settings saved: every page uses them now.")).toBeVisible();
  await expect(admin.getByLabel("Name within a sentence (French)")).toHaveValue("");
  await expect(admin.getByText("Left blank, it is made from the name: “la municipalité de Saint-Damien”.")).toBeVisible();
  await expect(admin.getByText("Left blank, it is made from the name: “the Municipality of Saint-Damien”.")).toBeVisible();
  // The official's own words.
  await admin.getByLabel("Name within a sentence (French)").fill("la commune de Saint-Damien");
  await admin.getByRole("button", { name: "Save the settings" }).click();
  await expect(admin.getByText("Settings saved: every page uses them now.")).toBeVisible();
  await expect(admin.getByLabel("Name within a sentence (French)")).toHaveValue("la commune de Saint-Damien");
  expect((await axeOn(admin).analyze()).violations.map((v) => v.id)).toEqual([]);

  // The invitation email, in French.
  const email = `sentence-${Date.now()}@example.org`;
  await admin.getByRole("link", { name: "Staff accounts" }).click();
  await admin.getByLabel("Email address").fill(email);
  await admin.getByLabel("Language of the invitation").selectOption("fr");
  await admin.getByRole("button", { name: "Create the invitation link" }).click();
  const [invitation] = await mailsTo(request, email, 1);
  const body = invitation.text.split("\n-- \n")[0];
  expect(body).toContain("Vous êtes invité à rejoindre Quorum, l’outil de consultation de la commune de Saint-Damien, avec le rôle");
  expect(body).not.toMatch(/de Municipalité|Municipality/);

  // The privacy page, in each language.
  const resident = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await resident.goto("/fr/privacy");
  await expect(resident.getByText("Pour toute question sur vos données, le délégué à la protection des données de la commune de Saint-Damien :")).toBeVisible();
  await resident.goto("/en/privacy");
  await expect(resident.getByText("For any question about your data, the data protection officer of the Municipality of Saint-Damien:")).toBeVisible();
  for (const lang of ["fr", "en"] as const) {
    await resident.goto(`/${lang}/privacy`);
    expect(await resident.locator("main").innerText()).not.toMatch(/de Municipalité|of Municipality of/);
  }

  // The paper questionnaire: where to bring it, in the sheet's language only.
  for (const [lang, place] of [
    ["fr", "Déposez-le ou envoyez-le à la mairie de la commune de Saint-Damien, 2 rue de l’Église, 12345 Saint-Damien"],
    ["en", "the town hall of the Municipality of Saint-Damien, 2 rue de l’Église, 12345 Saint-Damien"],
  ] as const) {
    await admin.goto(`/en/staff/consultations/${E2E.codeSlug}/questionnaire?as=${lang}`);
    const back = admin.locator("section.blank-return");
    await expect(back).toContainText(place);
    expect(await back.innerText()).not.toContain(lang === "fr" ? "Municipality" : "Municipalité");
  }
  await Promise.all([admin.context().close(), resident.context().close()]);
});

/** Where a group's share may lie (95 %), worked out here as the roots of (p̂ − p)² = z² p (1 − p) / n. */
function interval95(count: number, n: number): [number, number] {
  const z = 1.959964;
  const p = count / n;
  const a = 1 + (z * z) / n;
  const b = -(2 * p + (z * z) / n);
  const root = Math.sqrt(b * b - 4 * a * p * p);
  return [(-b - root) / (2 * a), (-b + root) / (2 * a)];
}
const percentFr = (x: number) => new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 }).format(x);

test("default reference shares typed in French reach every standard answer, staff forms show numbers in French, and the summary gives no verdict on a group under k", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  // The administrator types the defaults on the French settings page, with decimal commas.
  const admin = await staffPage(browser, "admin");
  await admin.getByRole("link", { name: "Settings" }).click();
  await admin.getByRole("link", { name: "Français" }).click();
  const share = (answer: string) => admin.getByLabel(new RegExp(`^Part\\s«\\s${answer}\\s»`));
  const DEFAULTS: [string, string][] = [
    ["À la campagne", "30"],
    ["En périphérie", "25"],
    ["En centre-ville", "45"],
    ["Moins de 18 ans", "19"],
    ["18 à 34 ans", "22"],
    ["35 à 54 ans", "26,5"],
    ["55 à 74 ans", "22"],
    ["75 ans et plus", "10,5"],
    ["Français", "70"],
    ["Anglais", "25"],
    // The standard language question's third answer: the settings offer the same one.
    ["Une autre langue", "5"],
  ];
  for (const [answer, value] of DEFAULTS) await share(answer).fill(value);
  await admin.getByLabel(/^Source des parts/).fill("Recensement 2021");
  await admin.getByRole("button", { name: "Enregistrer les réglages" }).click();
  await expect(admin.getByText("Réglages enregistrés : ils s’appliquent à toutes les pages.")).toBeVisible();
  for (const [answer, value] of DEFAULTS) await expect(share(answer), answer).toHaveValue(value);

  // An official builds a consultation with the standard area and language questions, answers left empty.
  const page = await staffPage(browser, "official");
  const slug = `shares-${Date.now()}`;
  await page.getByRole("link", { name: "New consultation" }).click();
  await page.getByLabel("Address (slug)").fill(slug);
  for (const [group, fr, en] of [
    ["Title", "Capteurs d’air à l’école", "Air sensors at the school"],
    ["One-line summary", "Mesurer l’air devant l’école.", "Measuring the air by the school."],
    ["Proposal", "La commune propose deux capteurs.", "The municipality proposes two sensors."],
    ["Data card: what data would be collected", "Des particules fines.", "Fine particles."],
    ["Data card: why", "Protéger les enfants.", "Protecting children."],
    ["Data card: how long it is kept", "Un an.", "One year."],
    ["Data card: who can see it", "Tout le monde.", "Everyone."],
    ["Data card: where the devices would be", "Devant l’école.", "By the school."],
  ]) {
    const box = page.getByRole("group", { name: group, exact: true });
    await box.getByLabel("French").fill(fr);
    await box.getByLabel("English").fill(en);
  }
  await page.getByRole("button", { name: "Create the draft" }).click();
  for (const [n, demographic, prompt] of [
    [1, "Area (rural, suburban, urban)", "Where do you live?"],
    [2, "Preferred language", "Which language do you prefer?"],
  ]) {
    await page
      .locator("#add")
      .getByLabel("Demographic question")
      .selectOption({ label: String(demographic) });
    await page.locator("#add").getByRole("button", { name: "Add this question" }).click();
    await expect(page.locator("section.question-editor", { has: page.getByRole("heading", { name: `${n}. ${prompt}` }) }).getByRole("status")).toHaveText(
      "Question added.",
    );
  }
  await page.getByRole("link", { name: "← Air sensors at the school" }).click();
  await page.getByRole("link", { name: "Reference shares (who has not been heard)" }).click();
  await page.getByRole("link", { name: "Français" }).click();

  // Every default reached the new questions, shown the French way.
  const area = page.locator("form").filter({ hasText: "Où habitez-vous" });
  const language = page.locator("form").filter({ hasText: "Quelle langue préférez-vous" });
  const percentOf = (form: typeof area, group: string) => form.getByLabel(`${group} (% de la population)`);
  for (const [group, value] of [
    ["À la campagne", "30"],
    ["En périphérie", "25"],
    ["En centre-ville", "45"],
  ])
    await expect(percentOf(area, group), group).toHaveValue(value);
  for (const [group, value] of [
    ["Français", "70"],
    ["Anglais", "25"],
    ["Une autre langue", "5"],
  ])
    await expect(percentOf(language, group), group).toHaveValue(value);
  await expect(language.getByLabel(/^Source/)).toHaveValue("Recensement 2021");

  // A French decimal comma is taken, and comes back as typed; the English page shows the English form.
  await percentOf(language, "Français").fill("69,75");
  await percentOf(language, "Une autre langue").fill("5,25");
  await language.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("status")).toHaveText("Enregistré.");
  await expect(percentOf(language, "Français")).toHaveValue("69,75");
  await expect(percentOf(language, "Une autre langue")).toHaveValue("5,25");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByLabel("Another language (% of the population)")).toHaveValue("5.25");
  await expect(page.getByLabel("French (% of the population)")).toHaveValue("69.75");
  expect(
    await axeOn(page)
      .analyze()
      .then((r) => r.violations.map((v) => v.id)),
  ).toEqual([]);

  // Open; 40 residents answer: one person alone in a group, some groups under their reference.
  await page.getByRole("link", { name: /^←/ }).click();
  await page.getByRole("button", { name: "Open to residents" }).click();
  await page.getByRole("button", { name: "Yes, open it now" }).click();
  await expect(page.getByText("The consultation is open: residents can answer.")).toBeVisible();
  const AREA = { rural: 30, urban: 9, suburban: 1 };
  const LANGUAGE = { fr: 33, en: 6, other: 1 };
  const areas = Object.entries(AREA).flatMap(([code, n]) => Array<string>(n).fill(code));
  const languages = Object.entries(LANGUAGE).flatMap(([code, n]) => Array<string>(n).fill(code));
  for (let i = 0; i < areas.length; i++) {
    const form = { submission_id: crypto.randomUUID(), "q.area": areas[i], "q.language": languages[i] };
    expect((await request.post(`/fr/consultations/${slug}`, { form, maxRedirects: 0 })).status()).toBe(303);
  }

  // The summary, in French: no verdict on a group under k = 5, a 95 % interval beside every share,
  // and a gap within that interval said to be uncertain.
  await page.getByRole("link", { name: "Français" }).click();
  await page.getByRole("link", { name: "Synthèse (imprimable)" }).click();
  await expect(page.getByText(/Un groupe de moins de 5 personnes n’est signalé que si tout son intervalle est sous la référence/)).toBeVisible();
  const rowOf = (prompt: string, group: string) =>
    page
      .locator("table.heard-table")
      .filter({ hasText: prompt })
      .locator("tr")
      .filter({ has: page.getByRole("rowheader", { name: group, exact: true }) })
      .locator("td");
  const expectRow = async (prompt: string, group: string, count: number, base: number, reference: number, verdict: string) => {
    const [low, high] = interval95(count, base);
    const cells = rowOf(prompt, group);
    await expect(cells.nth(0), group).toHaveText(String(count));
    await expect(cells.nth(2), group).toHaveText(`de ${percentFr(low)} à ${percentFr(high)}`);
    await expect(cells.nth(3), group).toHaveText(percentFr(reference));
    await expect(cells.nth(4), group).toHaveText(verdict);
  };
  // 9 of 40 (22.5 %) against 45 %: the whole interval lies below the reference.
  expect(interval95(9, 40)[1]).toBeLessThan(0.45);
  await expectRow("Où habitez-vous", "En centre-ville", 9, 40, 0.45, "Sous-représenté");
  // 1 of 40 against 25 %: under k, but even the top of its interval lies below the reference.
  expect(interval95(1, 40)[1]).toBeLessThan(0.25);
  await expectRow("Où habitez-vous", "En périphérie", 1, 40, 0.25, "Sous-représenté");
  await expectRow("Où habitez-vous", "À la campagne", 30, 40, 0.3, "Oui");
  // 6 of 40 (15 %) against 25 %: under 0.8 × 25 %, but 25 % lies within the interval.
  expect(interval95(6, 40)[1]).toBeGreaterThan(0.25);
  await expectRow("Quelle langue préférez-vous", "Anglais", 6, 40, 0.25, "Sous-représenté, écart incertain (la référence est dans l’intervalle)");
  // 1 of 40 against 5.25 %: under k, and the reference lies within its interval: no verdict.
  expect(interval95(1, 40)[1]).toBeGreaterThan(0.0525);
  await expectRow("Quelle langue préférez-vous", "Une autre langue", 1, 40, 0.0525, "Moins de 5 personnes : pas de verdict");
  expect(
    await axeOn(page)
      .analyze()
      .then((r) => r.violations.map((v) => v.id)),
  ).toEqual([]);
  await Promise.all([admin.context().close(), page.context().close()]);
});

test("the email outbox is in the administrators' menu and dates every message in the municipality's time zone", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const zone = "America/Toronto";
  const admin = await staffPage(browser, "admin");
  await admin.getByRole("link", { name: "Settings" }).click();
  await admin.getByLabel("Time zone").selectOption(zone);
  await admin.getByRole("button", { name: "Save the settings" }).click();
  await expect(admin.getByText("Settings saved: every page uses them now.")).toBeVisible();

  // A resident asks to be told (a message that keeps only its day); an administrator invites someone.
  const dayThere = (d: Date) => new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: zone }).format(d);
  const atThere = (d: Date) => new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: zone }).format(d);
  const before = new Date();
  const email = `resident-tz-${Date.now()}@example.org`;
  const resident = await browser.newContext({ javaScriptEnabled: false });
  const r = await resident.newPage();
  await r.goto(`/fr/consultations/${E2E.demoSlug}/notify`);
  await r.getByLabel("Votre adresse électronique").fill(email);
  await r.getByRole("button", { name: "Me prévenir par courriel" }).click();
  await expect(r.getByRole("heading", { name: "Vérifiez votre boîte de réception" })).toBeVisible();
  await mailsTo(request, email, 1);
  const invited = `invited-tz-${Date.now()}@example.org`;
  await admin.getByRole("link", { name: "Staff accounts" }).click();
  await admin.getByLabel("Email address").fill(invited);
  await admin.getByLabel("Role", { exact: true }).selectOption("official");
  await admin.getByRole("button", { name: "Create the invitation link" }).click();
  await mailsTo(request, invited, 1);
  const after = new Date();

  // The outbox, from the staff menu, in French.
  await admin.getByRole("link", { name: "Français" }).click();
  await admin.getByRole("navigation", { name: "Espace agents" }).getByRole("link", { name: "File d’envoi des courriels" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "File d’envoi des courriels" })).toBeVisible();
  const days = [...new Set([dayThere(before), dayThere(after)])];
  const confirmation = admin.getByRole("row").filter({ hasText: "Confirmation d’adresse" }).first();
  await expect(async () => {
    await admin.reload();
    await expect(confirmation.locator("td").last()).toHaveText(
      new RegExp(`^Envoyé le (${days.join("|")}) \\(jour seulement\\s: l’heure d’un message à un habitant n’est pas gardée\\)$`),
    );
  }).toPass({ timeout: 20_000 });
  // To the minute, the invitation's time there.
  const minutes = new Set<string>();
  for (let t = before.getTime() - 60_000; t <= after.getTime() + 60_000; t += 30_000) minutes.add(atThere(new Date(t)));
  const invitation = admin.getByRole("row").filter({ hasText: invited });
  await expect(async () => {
    await admin.reload();
    const text = await invitation.locator("td").last().innerText();
    expect([...minutes].map((m) => `Envoyé le ${m}`)).toContain(text.trim());
  }).toPass({ timeout: 20_000 });
  expect(
    await axeOn(admin)
      .analyze()
      .then((r) => r.violations.map((v) => v.id)),
  ).toEqual([]);

  // Not in anyone else's menu.
  const official = await staffPage(browser, "official");
  await expect(official.getByRole("navigation").getByRole("link", { name: "Email outbox" })).toHaveCount(0);
  await Promise.all([admin.context().close(), resident.close(), official.context().close()]);
});
