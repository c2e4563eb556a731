/**
 * Words on staff pages that said something untrue or left a person with nothing to do, walked
 * through as staff use them: inviting an address that has an account already, the invitation's
 * answer on a reload, what the invitation page says about email in this deployment (the test
 * server has a mail server), opening a code-mode consultation before any code exists, reopening
 * one whose outcome is published, and the audit log's filter in words.
 */
import { expect, test, type APIRequestContext } from "@playwright/test";
import { MAILBOX } from "../../playwright.config";
import type { Received } from "../helpers/smtp";
import { axeOn, E2E, staffPage } from "./fixtures";

const mailbox = `http://127.0.0.1:${MAILBOX.http}`;
const received = async (request: APIRequestContext, to: string) =>
  ((await (await request.get(`${mailbox}/messages`)).json()) as Received[]).filter((m) => m.to === to);

test("an address that has an account is not invited again, and a reloaded invitation neither invites twice nor shows the link again", async ({
  browser,
  request,
}) => {
  const admin = await staffPage(browser, "admin");
  await admin.getByRole("link", { name: "Staff accounts" }).click();
  // This deployment sends email: the page says so, and only that.
  await expect(admin.getByText("Quorum emails the invitation to the address typed, in the language chosen.")).toBeVisible();
  await expect(admin.getByText(/sends no email|No mail server is configured/)).toHaveCount(0);

  // An administrator's own address: refused, with the way to that account.
  await admin.getByLabel("Email address").fill(E2E.admin.toUpperCase());
  await admin.getByLabel("Role", { exact: true }).selectOption("moderator");
  await admin.getByRole("button", { name: "Create the invitation link" }).click();
  const refusal = "This address already has an account (administrator, active): there is no one to invite.";
  await expect(admin.locator("#errors")).toContainText(refusal);
  await expect(admin.locator("#f-email-error")).toContainText(refusal);
  await expect(admin.getByLabel("Email address")).toHaveValue(E2E.admin.toUpperCase());
  await expect(admin.locator(".invite-link")).toHaveCount(0);
  expect((await axeOn(admin).analyze()).violations.map((v) => v.id)).toEqual([]);
  await admin.getByRole("link", { name: `See the account of ${E2E.admin} in the list` }).click();
  const row = admin.locator("tr:target");
  await expect(row).toContainText(E2E.admin);
  expect(await received(request, E2E.admin)).toEqual([]);

  // A new address: invited once; the answer is a page of its own, and reloading it invites no one.
  const email = `words-${Date.now()}@example.org`;
  await admin.getByLabel("Email address").fill(email);
  await admin.getByRole("button", { name: "Create the invitation link" }).click();
  await expect(admin).toHaveURL(/\/en\/staff\/users\?done=invited#errors$/);
  await expect(admin.getByText(`Invitation emailed to ${email}.`)).toBeVisible();
  const link = (await admin.locator(".invite-link").innerText()).trim();
  expect(link).toMatch(/\/en\/staff\/invitations\/[\w-]+$/);
  await expect.poll(async () => (await received(request, email)).length, { timeout: 20_000 }).toBe(1);
  await admin.reload();
  await expect(admin.getByText("Invitation created. Its link was shown once")).toBeVisible();
  await expect(admin.locator(".invite-link")).toHaveCount(0);
  await admin.waitForTimeout(6_000); // more than the outbox's tick: a second message would have gone
  expect(await received(request, email)).toHaveLength(1);
  await admin.goto(`/en/staff/audit?action=staff.invite`);
  await expect(admin.locator("tbody tr").filter({ hasText: email })).toHaveCount(1);
  await admin.context().close();
});

test("opening a code-mode consultation without codes warns first; reopening says what is already published", async ({ browser }) => {
  test.setTimeout(90_000);
  const official = await staffPage(browser, "official");
  const slug = `words-codes-${Date.now()}`;
  await official.goto(`/en/staff/consultations/${E2E.codeSlug}`);
  await official.getByRole("link", { name: /^Duplicate/ }).click();
  await official.getByLabel("Address (slug)").fill(slug);
  await official.getByRole("button", { name: "Create the copy as a draft" }).click();
  await expect(official).toHaveURL(new RegExp(`/en/staff/consultations/${slug}\\?`));

  await official.getByRole("button", { name: "Open to residents" }).click();
  await expect(official.getByText("Residents will be able to answer from now.")).toHaveCount(0);
  await expect(official.getByText("Residents who have a participation code will be able to answer from now.")).toBeVisible();
  await expect(official.getByText("Warning: this consultation needs a participation code, and no code exists yet.")).toBeVisible();
  await expect(official.getByRole("link", { name: "Make participation codes" })).toHaveAttribute("href", `/en/staff/consultations/${slug}/codes`);
  expect((await axeOn(official).analyze()).violations.map((v) => v.id)).toEqual([]);
  await official.getByRole("button", { name: "Yes, open it now" }).click();
  await expect(official.getByRole("status")).toHaveText("The consultation is open: residents can answer.");

  // Closed, the outcome published: reopening says the outcome stays before anything changes.
  await official.getByRole("button", { name: "Close now" }).click();
  await official.getByRole("button", { name: "Yes, close it now" }).click();
  await expect(official.getByRole("status")).toHaveText("The consultation is closed.");
  await official
    .getByRole("link", { name: /^Outcome/ })
    .first()
    .click();
  for (const [name, value] of [
    ["fr.heard", "Peu de réponses."],
    ["fr.decided", "Les capteurs attendront."],
    ["en.heard", "Few answers."],
    ["en.decided", "The sensors will wait."],
  ])
    await official.locator(`[name="${name}"]`).fill(value);
  await official.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(official.getByText("Outcome published: residents see it now.")).toBeVisible();
  await official.goto(`/en/staff/consultations/${slug}`);
  await official.getByRole("button", { name: "Open again" }).click();
  await expect(
    official.getByText(/^The outcome is already published \(since .+\): residents keep seeing it while the consultation is open again\.$/),
  ).toBeVisible();
  await expect(official.getByText(/The results are already published/)).toHaveCount(0);

  // Results published (and no outcome): said as such.
  await official.goto(`/en/staff/consultations/${E2E.resultsSlug}`);
  await official.getByRole("button", { name: "Open again" }).click();
  await expect(official.getByText(/^The results are already published \(since .+\): they stay public while the consultation is open again\.$/)).toBeVisible();
  await official.getByRole("link", { name: "Cancel, change nothing" }).click();
  await official.context().close();
});

test("the audit log's action filter and column speak in words, in the page's language", async ({ browser }) => {
  const admin = await staffPage(browser, "admin");
  for (const [lang, quote] of [
    ["en", "Representative quote kept"],
    ["fr", "Citation représentative retenue"],
  ] as const) {
    await admin.goto(`/${lang}/staff/audit`);
    const options = await admin.locator("select#action option").allInnerTexts();
    expect(options.length).toBeGreaterThan(40);
    for (const option of options) expect(option).not.toMatch(/^[a-z_]+\.[a-z_]+$/);
    await admin.locator("select#action").selectOption({ label: quote });
    await admin.getByRole("button", { name: lang === "en" ? "Show" : "Afficher" }).click();
    await expect(admin).toHaveURL(/action=themes\.quote/);
    for (const cell of await admin.locator("tbody tr td:nth-child(3)").allInnerTexts()) expect(cell).toBe(quote);
    for (const sentence of await admin.locator("tbody tr td:nth-child(2)").allInnerTexts()) expect(sentence).not.toMatch(/«\s*t\d+\s*»|“t\d+”|n°\s\d|no\. \d/);
  }
  await admin.context().close();
});
