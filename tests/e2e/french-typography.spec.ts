/**
 * French typography on everything Quorum shows or sends in French: every French page a resident
 * and a staff member reach (forms with their mistakes included), the printouts (letters, blank
 * questionnaire, printed summary — read back from the PDF with pdftotext) and the emails (read from
 * the test mail server). Before `:` `;` `!` `?` and inside « » there must be a no-break space
 * (U+00A0 or the narrow U+202F), never a plain space and never nothing.
 *
 * What is not Quorum's French, and so not read: addresses (`https://…`, `host:port/…`, `?a=b`),
 * times (`17:00`) and any sign with no space after it (it is not punctuation there), code and
 * preformatted text (`<pre>`, `<code>`, `<kbd>`, `<samp>`), residents' own words quoted on a page
 * (`<blockquote>`, where Quorum shows every free-text answer: seeded answers are written as people
 * write), and English passages on a French page (`[lang=en]`, hidden before printing). The
 * consultations these pages show are the demo's French and what this test types, which follow the
 * same typography, so what staff wrote is read too, in the page and in the fields that hold it.
 * Numbers and dates are read as well: a no-break space before %, a decimal comma in a share and in
 * a field holding a number, no English month or AM/PM.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { MAILBOX } from "../../playwright.config";
import type { Received } from "../helpers/smtp";
import { answerDemo, E2E, receiptOnPage, staffPage } from "./fixtures";

const NO_BREAK = new Set(["\u00a0", "\u202f"]);
const mailbox = `http://127.0.0.1:${MAILBOX.http}`;
const dir = mkdtempSync(path.join(tmpdir(), "quorum-typography-"));

/** Addresses out of the way: a scheme, or a host with its port, up to the next space. */
const withoutAddresses = (text: string) =>
  text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S*/gi, "⟨adresse⟩")
    .replace(/\b(?:mailto|tel):\S*/gi, "⟨adresse⟩")
    .replace(/\b[\w.-]+:\d+\/?\S*/g, "⟨adresse⟩");

/**
 * The places in `text` where French typography is missing, each with a few characters before it.
 * A sign is punctuation when a space, a line's end, a closing quote or bracket follows it; an
 * address, a time or a code has something else there (`?edit=1`, `17:00`, `mailto:x`).
 */
export function misspaced(text: string): string[] {
  const prose = withoutAddresses(text);
  const found: string[] = [];
  const around = (at: number) => JSON.stringify(prose.slice(Math.max(0, at - 24), at + 2));
  for (const m of prose.matchAll(/[:;!?](?=[\s"”’)\]»]|$)/g)) {
    const before = prose[m.index - 1];
    if (m.index === 0 || before === "\n") continue; // a sign standing alone at the start of a line
    if (NO_BREAK.has(before)) continue;
    if ((m[0] === "!" || m[0] === "?") && (before === "?" || before === "!")) continue; // « ?! »
    found.push(`${before === " " ? "plain space" : "no space"} before ${m[0]}: ${around(m.index)}`);
  }
  for (const m of prose.matchAll(/«/g)) if (!NO_BREAK.has(prose[m.index + 1] ?? "")) found.push(`after «: ${around(m.index)}`);
  // French numbers: a no-break space before %, and a decimal comma in a share (elsewhere "2.1" names a
  // criterion or a version — WCAG 2.1, RGAA 8.2, CC-BY-4.0 — it is not a quantity).
  for (const m of prose.matchAll(/\d\.\d+(?=[ \u00a0\u202f]?%)/g)) found.push(`decimal point: ${around(m.index + m[0].length - 1)}`);
  for (const m of prose.matchAll(/\d( ?)%/g)) found.push(`${m[1] ? "plain space" : "no space"} before %: ${around(m.index + m[0].length - 1)}`);
  for (const m of prose.matchAll(/»/g)) if (!NO_BREAK.has(prose[m.index - 1] ?? "")) found.push(`before »: ${around(m.index)}`);
  // French dates: no English month or weekday, no AM/PM.
  for (const m of prose.matchAll(
    /(?<![\p{L}\p{N}])(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|[AP]M)(?![\p{L}\p{N}])/gu,
  ))
    found.push(`English date: ${around(m.index + m[0].length - 1)}`);
  return found;
}

/**
 * The page's own French text: the title, every text node, the words in attributes people meet
 * (labels for screen readers, placeholders, tooltips, button values) and what fields hold, line by
 * line at each block, leaving out code, residents' quoted words and any element in another
 * language; and apart, the fields that hold only a number.
 */
function pageText(page: Page): Promise<{ text: string; numbers: string[] }> {
  return page.evaluate(() => {
    const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "PRE", "CODE", "KBD", "SAMP", "SVG", "BLOCKQUOTE"]);
    const INLINE = new Set([
      "A",
      "ABBR",
      "B",
      "BDI",
      "BDO",
      "CITE",
      "DATA",
      "DFN",
      "EM",
      "I",
      "LABEL",
      "MARK",
      "Q",
      "S",
      "SMALL",
      "SPAN",
      "STRONG",
      "SUB",
      "SUP",
      "TIME",
      "U",
      "VAR",
      "OUTPUT",
    ]);
    const ATTRIBUTES = ["aria-label", "aria-description", "placeholder", "title", "alt"];
    const out: string[] = [document.title, "\n"];
    const numbers: string[] = [];
    const walk = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) return void out.push(node.nodeValue ?? "");
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const el = node as Element;
      if (SKIP.has(el.tagName.toUpperCase())) return;
      const lang = el.getAttribute("lang");
      if (lang !== null && !lang.toLowerCase().startsWith("fr")) return;
      const block = !INLINE.has(el.tagName);
      if (block) out.push("\n");
      for (const name of ATTRIBUTES) {
        const value = el.getAttribute(name);
        if (value) out.push("\n", value, "\n");
      }
      // What a field holds as the page comes: Quorum's own figures, or the demo's French (written with its no-break spaces).
      if (el instanceof HTMLInputElement && !["hidden", "password", "email", "url", "checkbox", "radio"].includes(el.type)) {
        out.push("\n", el.value, "\n");
        if (/^[-\d.,\s]+$/.test(el.value) && /\d/.test(el.value)) numbers.push(`${el.name}=${el.value}`);
      }
      if (el instanceof HTMLTextAreaElement) out.push("\n", el.value, "\n");
      el.childNodes.forEach(walk);
      if (block) out.push("\n");
    };
    walk(document.body);
    return { text: out.join(""), numbers };
  });
}

/** Fails with every place on the page where French typography is missing. */
async function scan(page: Page, where = page.url()) {
  await page.waitForLoadState("load");
  expect(await page.locator("html").getAttribute("lang"), `language of ${where}`).toBe("fr");
  const { text, numbers } = await pageText(page);
  expect(text.length, `text of ${where}`).toBeGreaterThan(100);
  expect.soft(misspaced(text), `French typography on ${where}`).toEqual([]);
  // A number a form shows is written as the page's language writes it: 26,5 (not 26.50).
  expect
    .soft(
      numbers.filter((n) => /\d\.\d/.test(n)),
      `numbers in the fields of ${where}`,
    )
    .toEqual([]);
}

async function visit(page: Page, url: string) {
  const res = await page.goto(url);
  expect(res?.status(), `GET ${url}`).toBeLessThan(400);
  await scan(page);
}

/**
 * What printing can still get wrong, read from the PDF. Chrome's PDF carries no space characters
 * (pdftotext puts back a plain space wherever it sees a gap), so whether a space was a no-break one
 * is checked on the very page printed (`scan`, which reads print-only text too); the PDF shows
 * whether each sign kept a space before it, and stayed on its word's line.
 */
export function misprinted(text: string): string[] {
  const prose = withoutAddresses(text);
  const found: string[] = [];
  const around = (at: number) => JSON.stringify(prose.slice(Math.max(0, at - 24), at + 2));
  for (const m of prose.matchAll(/[:;!?](?=[\s"”’)\]»]|$)/g)) {
    const before = prose[m.index - 1] ?? "\n";
    if (before === "\n") found.push(`${m[0]} begins a line: ${around(m.index)}`);
    else if (!/[ \u00a0\u202f?!]/.test(before)) found.push(`no space before ${m[0]}: ${around(m.index)}`);
  }
  for (const m of prose.matchAll(/«(.|$)/g)) if (!/[ \u00a0\u202f]/.test(m[1])) found.push(`« without a space on its line: ${around(m.index)}`);
  for (const m of prose.matchAll(/(^|.)»/gm)) if (!/[ \u00a0\u202f]/.test(m[1])) found.push(`» without a space on its line: ${around(m.index)}`);
  return found;
}

/** The page printed to PDF as the browser prints it, English passages and residents' quoted words hidden, read back by pdftotext. */
async function printedFrench(page: Page, name: string): Promise<string> {
  await page.waitForLoadState("load");
  // Hidden where they stand (the page's policy refuses a style sheet added; a style set on an element is not one).
  await page.evaluate(() =>
    document
      .querySelectorAll<HTMLElement>("[lang]:not([lang|=fr]), blockquote, pre, code")
      .forEach((el) => el.style.setProperty("visibility", "hidden", "important")),
  );
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  expect(text.replace(/\s+/g, "").length, `text of ${name}.pdf`).toBeGreaterThan(200);
  expect.soft(misprinted(text.replace(/\f/g, "\n")), `French typography in ${name}.pdf`).toEqual([]);
  return text;
}

async function mailsTo(request: APIRequestContext, to: string, count: number): Promise<Received[]> {
  let found: Received[] = [];
  await expect
    .poll(
      async () => {
        found = ((await (await request.get(`${mailbox}/messages`)).json()) as Received[]).filter((m) => m.to === to);
        return found.length;
      },
      { message: `${count} message(s) to ${to}`, timeout: 20_000 },
    )
    .toBe(count);
  return found;
}

/** A French email: its subject, its text and its HTML part as a mail program shows it. */
async function scanMail(page: Page, mail: Received, what: string) {
  expect(mail.lang, `language of the ${what} email`).toBe("fr");
  expect.soft(misspaced(mail.subject), `French typography in the ${what} email's subject`).toEqual([]);
  expect.soft(misspaced(mail.text), `French typography in the ${what} email's text`).toEqual([]);
  await page.setContent(mail.html);
  await scan(page, `the ${what} email's HTML`);
}

const linkIn = (text: string, pathPattern: RegExp) => {
  const match = text.match(new RegExp(`http://127\\.0\\.0\\.1:\\d+${pathPattern.source}`));
  expect(match, `a link ${pathPattern} in:\n${text}`).not.toBeNull();
  return match![0];
};

test("the scan itself tells French typography from its absence", () => {
  expect(misspaced("Votre code\u00a0: 12, vraiment\u202f? «\u00a0oui\u00a0» à 17:00, https://x.fr/a?b=c, 127.0.0.1:4310/fr/c/ABC")).toEqual([]);
  expect(misspaced("Votre code : 12")).toHaveLength(1);
  expect(misspaced("Votre code: 12")).toHaveLength(1);
  expect(misspaced("Vraiment ?")).toHaveLength(1);
  expect(misspaced("« oui »")).toHaveLength(2);
  expect(misspaced("«oui»")).toHaveLength(2);
  expect(misspaced("26,5\u202f% selon WCAG 2.1")).toEqual([]);
  expect(misspaced("26.5\u202f%, 26,5 %, 26,5%")).toHaveLength(3);
  expect(misspaced("5 décembre 2026 à 17:00")).toEqual([]);
  expect(misspaced("5 December 2026, 5:00 PM")).toHaveLength(2);
  expect(misprinted("Votre code : 12, vraiment ? « oui »")).toEqual([]);
  expect(misprinted("Votre code: 12")).toHaveLength(1);
  expect(misprinted("Vraiment\n? « oui\n»")).toHaveLength(2);
});

test("every French page, printout and email a resident meets has no-break spaces before : ; ! ? and inside « »", async ({ browser, request }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const url of [
    "/fr",
    "/fr/privacy",
    "/fr/accessibility",
    "/fr/open-data",
    "/fr/receipts",
    "/fr/offline",
    "/fr/offline/saved",
    "/fr/page-qui-n-existe-pas",
  ]) {
    await page.goto(url);
    await scan(page);
  }
  await visit(page, `/fr/consultations/${E2E.closedSlug}`);
  await visit(page, `/fr/consultations/${E2E.resultsSlug}`);
  await visit(page, `/fr/consultations/${E2E.resultsSlug}/results`);
  await visit(page, `/fr/consultations/${E2E.codeSlug}`);

  // The questionnaire, sent with mistakes, then answered.
  await visit(page, `/fr/consultations/${E2E.demoSlug}`);
  await answerDemo(page, "fr");
  await page.getByRole("radio", { name: "Autre", exact: true }).check(); // "Other" without its text
  await page.locator("select[name='q.priorities.rank.alerts']").selectOption("4"); // two items ranked 4
  await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
  await expect(page.getByRole("alert")).toContainText("Question 3");
  await scan(page, "the questionnaire with its mistakes");
  await page.getByRole("group", { name: /^3\./ }).getByLabel("Autre, précisez").fill("Une semaine");
  await page.locator("select[name='q.priorities.rank.alerts']").selectOption("3");
  await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
  const receipt = await receiptOnPage(page);
  await scan(page, "the thank-you page");
  await visit(page, `/fr/receipts/${receipt}`);

  // Told of the outcome: the form (with a mistake), the email, and the confirmation page.
  const email = `typographie-${Date.now()}@example.org`;
  await visit(page, `/fr/consultations/${E2E.demoSlug}/notify`);
  await page.getByLabel("Votre adresse électronique").fill("pas-une-adresse");
  await page.getByRole("button", { name: "Me prévenir par courriel" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await scan(page, "the notify form with its mistake");
  await page.getByLabel("Votre adresse électronique").fill(email);
  await page.getByRole("button", { name: "Me prévenir par courriel" }).click();
  await expect(page.getByRole("heading", { name: "Vérifiez votre boîte de réception" })).toBeVisible();
  await scan(page, "the notify form, sent");
  const [confirmation] = await mailsTo(request, email, 1);
  const confirmLink = linkIn(confirmation.text, /\/fr\/notify\/confirm\/\S+/);
  await scanMail(page, confirmation, "notify confirmation");
  await visit(page, confirmLink);
  await visit(page, linkIn(confirmation.text, /\/fr\/notify\/stop\/\S+/));

  // Signing in, and a forgotten password.
  await visit(page, "/fr/staff/login");
  await page.locator("input[name=email]").fill("personne@quorum.test"); // no account: no one's sign-ins slowed
  await page.locator("input[name=password]").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await scan(page, "sign-in refused");
  await visit(page, "/fr/staff/forgot");
  await page
    .locator("main form")
    .last()
    .evaluate((form: HTMLFormElement) => (form.noValidate = true));
  await page.getByRole("button", { name: "Envoyer le lien" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await scan(page, "the forgotten-password form with its mistake");
  await context.close();
});

test("every French staff page, printout and email has no-break spaces before : ; ! ? and inside « »", async ({ browser, request }) => {
  test.setTimeout(300_000);
  const admin = await staffPage(browser, "admin");
  for (const url of ["/fr/staff", "/fr/staff/password", "/fr/staff/users", "/fr/staff/audit", "/fr/staff/settings", "/fr/staff/mail"]) await visit(admin, url);

  // A new consultation's form, sent with mistakes.
  // (The browser's own checks are set aside: the messages read are Quorum's, as a browser without them shows.)
  await visit(admin, "/fr/staff/consultations/new");
  await admin
    .locator("main form")
    .last()
    .evaluate((form: HTMLFormElement) => (form.noValidate = true));
  await admin.locator("main form button[type=submit]").last().click();
  await expect(admin.locator("#errors")).toBeVisible();
  await scan(admin, "the new consultation form with its mistakes");

  // A code-mode consultation, open: every page of it, its letters and its blank questionnaire printed.
  const c = `/fr/staff/consultations/${E2E.typoSlug}`;
  for (const page of [
    "",
    "/preview?as=fr",
    "/edit",
    "/questions",
    "/references",
    "/summary",
    "/themes",
    "/moderation",
    "/outcome",
    "/confirm?intent=close",
    "/duplicate",
    "/delete",
  ])
    await visit(admin, `${c}${page}`);
  await visit(admin, `${c}/questions`);
  await admin.locator("main a[href*='edit=']").first().click();
  await scan(admin, "the builder with a question open");

  // A reference share typed the French way comes back the French way (the scan reads the fields' numbers).
  await visit(admin, `${c}/references`);
  await admin.locator("input[id^=share-]").first().fill("26,5");
  await admin.locator("input[id^=share-]").first().locator("xpath=ancestor::form[1]").locator("button[type=submit]").click();
  await expect(admin.locator("input[id^=share-]").first()).toHaveValue("26,5");
  await scan(admin, "a reference share saved");

  await visit(admin, `${c}/codes`);
  await admin.getByLabel("Nom du lot").fill("rue des Halles");
  await admin.getByLabel("Combien de lettres").fill("2");
  await admin.getByRole("button", { name: "Créer le lot et afficher les lettres" }).click();
  await expect(admin.locator(".letter")).toHaveCount(2);
  await scan(admin, "the letters");
  const letters = await printedFrench(admin, "letters");
  expect(letters).toContain("Votre code");
  await visit(admin, `${c}/codes`);

  await visit(admin, `${c}/questionnaire?as=fr`);
  const questionnaire = await printedFrench(admin, "questionnaire");
  expect(questionnaire).toContain("Comment rendre ce questionnaire");

  await visit(admin, `${c}/paper?as=fr`);
  await admin.getByRole("button", { name: "Enregistrer ce formulaire papier" }).click();
  await expect(admin.getByRole("alert").first()).toBeVisible();
  await scan(admin, "the paper form with its mistakes");

  // A resident asks to be told; the consultation closes and its outcome is published: the notice, and the pages after.
  const told = `typographie-bilan-${Date.now()}@example.org`;
  const resident = await (await browser.newContext()).newPage();
  await resident.goto(`/fr/consultations/${E2E.typoSlug}/notify`);
  await resident.getByLabel("Votre adresse électronique").fill(told);
  await resident.getByRole("button", { name: "Me prévenir par courriel" }).click();
  const [ask] = await mailsTo(request, told, 1);
  await resident.goto(linkIn(ask.text, /\/fr\/notify\/confirm\/\S+/));
  await resident.getByRole("button", { name: "Confirmer" }).click();
  await expect(resident.getByRole("status")).toBeVisible();
  await scan(resident, "the address confirmed");
  await visit(admin, c);
  await admin.getByRole("button", { name: "Clore maintenant" }).click();
  await scan(admin, "what closing will do");
  await admin.getByRole("button", { name: "Oui, clore maintenant" }).click();
  await expect(admin.getByText("La consultation est close.")).toBeVisible();
  await scan(admin, "the consultation closed");
  await visit(admin, `${c}/outcome`);
  // Typed as French is printed: a no-break space before the colon and the question mark.
  for (const [name, value] of [
    ["fr.heard", "Vous avez demandé des moyennes publiques\u00a0: elles le seront."],
    ["fr.decided", "Les capteurs seront posés au printemps. Et ensuite\u202f? Un bilan dans un an."],
    ["en.heard", "You asked for public averages: they will be."],
    ["en.decided", "The sensors will be installed in spring. And then? A review in a year."],
  ])
    await admin.locator(`[name="${name}"]`).fill(value);
  await admin.getByRole("button", { name: "Publier", exact: true }).click();
  await expect(admin.getByText("Bilan publié")).toBeVisible();
  await scan(admin, "the outcome published");
  const [, notice] = await mailsTo(request, told, 2);
  await scanMail(resident, notice, "outcome notice");
  await visit(resident, linkIn(notice.text, /\/fr\/consultations\/\S+/));
  await expect(resident.getByText("Les capteurs seront posés au printemps.")).toBeVisible();
  await visit(resident, linkIn(notice.text, /\/fr\/notify\/stop\/\S+/));
  await resident.context().close();
  for (const page of ["", "/summary", "/outcome", "/paper", "/confirm?intent=reopen"]) await visit(admin, `${c}${page}`);

  // A closed consultation whose results are published, with answers: its figures, free texts and printed summary.
  const r = `/fr/staff/consultations/${E2E.resultsSlug}`;
  for (const page of ["", "/summary?breakdown=area", "/themes", "/moderation", "/outcome", "/paper", "/confirm?intent=reopen"])
    await visit(admin, `${r}${page}`);
  await visit(admin, `${r}/summary`);
  const summary = await printedFrench(admin, "summary");
  expect(summary).toContain("Où habitez-vous");
  // Its running header and page numbers are written by its print stylesheet, outside the page's text.
  const css = await (await admin.request.get((await admin.locator("link[href*='summary.css']").getAttribute("href"))!)).text();
  const margins = [...css.matchAll(/content: ([^;]+);/g)].map((m) => [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((q) => q[1]).join("…"));
  expect(margins, "the printed summary's margins").toHaveLength(3);
  expect.soft(margins.flatMap(misspaced), "French typography in the printed summary's margins").toEqual([]);
  // A draft.
  const d = `/fr/staff/consultations/${E2E.draftSlug}`;
  for (const page of ["", "/confirm?intent=open", "/delete"]) await visit(admin, `${d}${page}`);

  // An invitation in French: the email, the page it opens, and a reset asked for once the account exists.
  const invited = `typographie-${Date.now()}@example.org`;
  await visit(admin, "/fr/staff/users");
  await admin.getByLabel("Adresse e-mail").fill(invited);
  await admin.getByLabel("Rôle", { exact: true }).selectOption("moderator");
  await admin.locator("#f-lang").selectOption("fr");
  await admin.getByRole("button", { name: "Créer le lien d’invitation" }).click();
  await scan(admin, "the invitation sent");
  await visit(admin, "/fr/staff/mail");
  await visit(admin, "/fr/staff/audit");
  await admin.context().close();

  const guest = await (await browser.newContext()).newPage();
  const [invitation] = await mailsTo(request, invited, 1);
  const invitationLink = linkIn(invitation.text, /\/fr\/staff\/invitations\/\S+/);
  await scanMail(guest, invitation, "invitation");
  await visit(guest, invitationLink);
  await guest.locator("input[name=password]").fill(E2E.password);
  await guest.locator("input[name=confirm]").fill(E2E.password);
  await guest.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(guest).toHaveURL(/\/fr\/staff(#main)?$/);
  await scan(guest, "the new moderator's home");
  // Refused and missing pages, in French.
  expect((await guest.goto("/fr/staff/users"))?.status()).toBe(403);
  await scan(guest);
  expect((await guest.goto("/fr/staff/consultations/pas-de-consultation"))?.status()).toBe(404);
  await scan(guest);
  await guest.context().clearCookies();
  await visit(guest, "/fr/staff/forgot");
  await guest.locator("input[name=email]").fill(invited);
  await guest.getByRole("button", { name: "Envoyer le lien" }).click();
  await scan(guest, "the reset asked for");
  const [reset] = await mailsTo(request, invited, 2).then((all) => all.slice(1));
  await scanMail(guest, reset, "password reset");
  await visit(guest, linkIn(reset.text, /\/fr\/staff\/reset\/\S+/));
  await guest.context().close();
});
