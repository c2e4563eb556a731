/**
 * Every staff form, refused, lands on its error summary with JavaScript off: the form posts to
 * its page's address with `#errors`, the browser scrolls to the summary and focuses it, and the
 * summary links to each field in error. A saved form lands on its confirmation instead, and the
 * form's `#errors` does not follow the redirect.
 */
import { expect, test, type Page } from "@playwright/test";
import { E2E, staffPage, type StaffRole } from "./fixtures";

test.use({ javaScriptEnabled: false });

type Case = {
  form: string;
  role: StaffRole | null;
  path: string;
  /** The field set to a value the browser lets through and the server refuses (CSS selector), and the value. */
  field: string;
  value: string;
  /** The summary's link to the field, by its text. */
  link: RegExp;
};

const CASES: Case[] = [
  { form: "sign-in", role: null, path: "/en/staff/login", field: "#f-password", value: "", link: /Password/ },
  { form: "forgotten password", role: null, path: "/en/staff/forgot", field: "#f-email", value: "", link: /Email address/ },
  { form: "password change", role: "admin", path: "/en/staff/password", field: "#f-current", value: "", link: /Current password/ },
  {
    form: "settings",
    role: "admin",
    path: "/en/staff/settings",
    field: "#f-contact-web",
    value: "not a web address",
    link: /How residents reach you – Web address/,
  },
  { form: "invitation", role: "admin", path: "/en/staff/users", field: "#f-email", value: "", link: /Email address/ },
  { form: "new consultation", role: "official", path: "/en/staff/consultations/new", field: "#f-slug", value: "Not A Slug!", link: /Address \(slug\)/ },
  { form: "letters", role: "official", path: `/en/staff/consultations/${E2E.codeSlug}/codes`, field: "#f-count", value: "0", link: /How many letters/ },
];

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("#errors")).toHaveCount(0);
}

for (const c of CASES) {
  test(`a refused ${c.form} form lands on its error summary, focused, with a link to the field`, async ({ browser }) => {
    const page = c.role ? await staffPage(browser, c.role) : await (await browser.newContext()).newPage();
    await open(page, c.path);
    const field = page.locator(c.field);
    await field.fill(c.value);
    await page.locator("form", { has: field }).locator('button[type="submit"]').first().click();
    await expect(page).toHaveURL(/#errors$/);
    // The title says it first, as the residents' questionnaire does.
    await expect(page).toHaveTitle(/^Error: /);
    const summary = page.locator("#errors");
    await expect(summary).toBeVisible();
    await expect(summary).toBeFocused();
    // Only one summary on the page, and it names the field, as a link that takes focus to it.
    await expect(page.locator(".error-summary")).toHaveCount(1);
    const link = summary.getByRole("link", { name: c.link });
    await expect(link).toHaveCount(1);
    await link.click();
    await expect(field).toBeFocused();
    // What was typed comes back.
    await expect(field).toHaveValue(c.value);
    await page.context().close();
  });
}

test("a form sent with no mistake lands on its confirmation, not on #errors", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/en/staff/forgot");
  await page.locator("#f-email").fill("nobody-here@quorum.test");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page).toHaveURL(/\/en\/staff\/forgot\?sent=1#done$/);
  await expect(page.locator("#done")).toBeVisible();
  await page.context().close();
});

test("staff titles say the page, the consultation and the municipality; the staff list is not the public list", async ({ browser }) => {
  const page = await staffPage(browser, "moderator");
  const site = (await page.title()).split(" – ").at(-1)!;
  expect(site).not.toBe("");
  await page.goto(`/en/staff/consultations/${E2E.demoSlug}/themes`);
  await expect(page).toHaveTitle(`Themes – Sensors in the Market Square? – ${site}`);
  const staffList = await page.goto("/en/staff").then(() => page.title());
  const publicList = await page.goto("/en").then(() => page.title());
  expect(staffList).not.toBe(publicList);
  expect(staffList).toBe(`Consultations (staff area) – ${site}`);
  await page.context().close();
});
