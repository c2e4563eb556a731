import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { DEMO_SLUG } from "../../app/domain/consultations/demo";
import { STAFF_SESSIONS } from "../../playwright.config";

export const E2E = {
  demoSlug: DEMO_SLUG,
  closedSlug: "e2e-closed",
  draftSlug: "e2e-draft",
  codeSlug: "e2e-codes",
  offlineSlug: "e2e-offline",
  /** Never opened by a test before it is answered offline from the list's saved copy (tests/e2e/offline.spec.ts). */
  listedSlug: "e2e-listed",
  /** Closed by the offline test while an answer to it waits on a device. */
  closingSlug: "e2e-closing",
  moderationSlug: "e2e-moderation",
  /** Only the themes test answers it (tests/e2e/themes.spec.ts). */
  themesSlug: "e2e-themes",
  /** Only the summary's print test answers it (tests/e2e/summary-print.spec.ts). */
  summarySlug: "e2e-summary",
  /** A closed copy of the demo with seeded answers, its results and free texts published. */
  resultsSlug: "e2e-results",
  /** Answered by a resident who asks to be told of the outcome (tests/e2e/municipality.spec.ts). */
  notifySlug: "e2e-notify",
  /** Made by `npm run staff:create` before the server starts. */
  admin: "admin@quorum.test",
  official: "official@quorum.test",
  /** A second official, for two people editing the same consultation. */
  official2: "official2@quorum.test",
  moderator: "moderator@quorum.test",
  password: "a long test password",
  codes: ["TESTA-AAAA2", "TESTB-BBBB3", "TESTC-CCCC4", "TESTD-DDDD5"],
  /** Code mode, open: the letters and paper journey mails its codes, enters paper forms, closes and publishes it. */
  lettersSlug: "e2e-letters",
  /** An empty batch of letters on the demo consultation (the authorization matrix opens its page). */
  /** Code mode, open: only the French typography test makes letters for it and prints them (tests/e2e/french-typography.spec.ts). */
  typoSlug: "e2e-typo",
  demoBatchId: "0b5c8f3e-6a1d-4c2e-9f7a-1d2e3f4a5b6c",
  /** Answered by text message only (tests/e2e/sms.spec.ts): open, and code mode with its own codes. */
  smsSlug: "e2e-sms",
  smsCodeSlug: "e2e-sms-codes",
  smsCodes: ["SMSAA-AAAA2", "SMSBB-BBBB3"],
  /** A draft only the SMS staff test prepares and tries (tests/e2e/sms-staff.spec.ts). */
  smsDraftSlug: "e2e-sms-draft",
};

/** Fills the demo questionnaire the way a person would, by label. */
export async function answerDemo(page: Page, lang: "fr" | "en") {
  const L =
    lang === "fr"
      ? {
          support: "4",
          air: "La qualité de l’air",
          noise: "Le bruit",
          d30: "30 jours",
          elsewhere: "Où d’autre",
          comments: "inquiétudes",
          rural: "À la campagne",
          rank: "Rang de « ",
        }
      : {
          support: "4",
          air: "Air quality",
          noise: "Noise",
          d30: "30 days",
          elsewhere: "Where else",
          comments: "concerns",
          rural: "In the countryside",
          rank: "Rank of “",
        };
  await page.getByRole("radio", { name: L.support, exact: true }).check();
  await page.getByRole("checkbox", { name: L.air }).check();
  await page.getByRole("checkbox", { name: L.noise }).check();
  await page.getByRole("radio", { name: L.d30 }).check();
  const ranks = page.locator("select[name^='q.priorities.rank.']");
  for (let i = 0; i < 4; i++) await ranks.nth(i).selectOption(String(4 - i));
  await page.getByLabel(L.elsewhere).fill(lang === "fr" ? "Devant l’école, rue Haute" : "By the school on High Street");
  await page.getByLabel(L.comments).fill(lang === "fr" ? "Publiez les moyennes.\nGardez peu les détails." : "Publish the averages.\nKeep details briefly.");
  await page.getByRole("radio", { name: L.rural }).check();
}

/** The receipt code shown on the thank-you page. */
export async function receiptOnPage(page: Page): Promise<string> {
  const text = (await page.locator(".receipt-code").innerText()).trim();
  expect(text).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
  return text;
}

/** Signs an API request context in (it keeps the cookie); staff forms need a same-site Origin. */
export async function signIn(request: APIRequestContext, baseURL: string, email: string) {
  const res = await request.post("/en/staff/login", {
    form: { email, password: E2E.password, next: "/en/staff" },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status(), `sign-in of ${email}`).toBe(302);
}

/** The consultation version a staff edit page carries in its forms (they are refused once it is stale). */
export async function formVersion(request: APIRequestContext, path: string): Promise<string> {
  const html = await (await request.get(path)).text();
  const version = /name="version" value="(\d+)"/.exec(html)?.[1];
  expect(version, `version field on ${path}`).toBeTruthy();
  return version!;
}

/** Signs a browser page in through the form. */
export async function signInPage(page: Page, email: string, password = E2E.password) {
  await page.goto("/en/staff/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/en\/staff(#main)?$/);
}

export const STAFF_ROLES = ["admin", "official", "official2", "moderator"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The browser state (session cookie) of a seeded staff member, saved by sessions.setup.ts before the specs run. */
export const staffSession = (role: StaffRole) => path.join(STAFF_SESSIONS, `${role}.json`);

/**
 * A page in a browser of its own, signed in as a seeded staff member with the session made once for the
 * run, on the staff home page — where `signInPage` lands — for specs whose subject is not signing in.
 */
export async function staffPage(browser: Browser, role: StaffRole, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ...options, storageState: staffSession(role) });
  const page = await context.newPage();
  await page.goto("/en/staff");
  await expect(page).toHaveURL(/\/en\/staff(#main)?$/);
  return page;
}

/**
 * axe-core for a page of Quorum, run in the page itself (`setLegacyMode`): the default mode runs axe
 * frame by frame and then again in a blank page it opens for each pass, which took twice as long for
 * the same results. The two differ only for frames of another origin, and Quorum's pages have no frame.
 */
export function axeOn(page: Page): AxeBuilder {
  expect(page.frames(), `frames of ${page.url()}`).toHaveLength(1);
  // Only violations are read: the rules that passed, did not apply or could not decide come back
  // with one element each instead of all of them (axe's `resultTypes`); every rule still runs on every element.
  return new AxeBuilder({ page }).setLegacyMode().options({ resultTypes: ["violations"] });
}
