/**
 * An official prepares a consultation for SMS: chooses its keyword (a command word and a taken
 * keyword refused, what was typed kept), reads what answering costs a resident, and tries the
 * whole conversation on the page — the same engine, nothing stored.
 */
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { axeOn, E2E, staffPage } from "./fixtures";
import { SMS } from "../../playwright.config";

async function smsResponses(): Promise<number | null> {
  if (!process.env.DATABASE_URL) return null;
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<
      { n: number }[]
    >`select count(*)::int as n from responses r join consultations c on c.id = r.consultation_id where c.slug = ${E2E.smsDraftSlug}`;
    return row.n;
  } finally {
    await sql.end();
  }
}

test("an official sets a draft's keyword, sees its cost in segments, and tries the conversation to the end with nothing stored", async ({ browser }) => {
  const page = await staffPage(browser, "official");
  await page.goto(`/en/staff/consultations/${E2E.smsDraftSlug}`);
  await page.getByRole("link", { name: "Answering by SMS" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Answering by SMS");
  await expect(page.getByText(`residents text ${SMS.number}`)).toBeVisible();

  // A command word, then a keyword another consultation has: refused at the field, the typed word kept.
  await page.getByLabel("SMS keyword").fill("stop");
  await page.getByRole("button", { name: "Save the SMS settings" }).click();
  await expect(page.getByText("That word is already a command")).toBeVisible();
  await expect(page.getByLabel("SMS keyword")).toHaveValue("stop");
  await page.getByLabel("SMS keyword").fill(SMS.keyword.toLowerCase());
  await page.getByRole("button", { name: "Save the SMS settings" }).click();
  await expect(page.getByText("Another consultation already has this keyword.")).toBeVisible();
  await page.getByLabel("SMS keyword").fill("Brouillon");
  await page.getByLabel("One answer per phone").check();
  await page.getByRole("button", { name: "Save the SMS settings" }).click();
  await expect(page.getByRole("status")).toHaveText("SMS settings saved.");
  await expect(page.getByLabel("SMS keyword")).toHaveValue("BROUILLON");
  await expect(page.getByLabel("One answer per phone")).toBeChecked();

  // What it costs: a row per question, and the totals.
  const table = page.getByRole("table", { name: /Segments a resident receives and sends/ });
  await expect(table.getByRole("row")).toHaveCount(1 + 9 + 1 + 1);
  await expect(table.getByRole("row", { name: /Total/ })).toBeVisible();
  await expect((await axeOn(page).analyze()).violations).toEqual([]);

  // The conversation, as a resident would write it.
  const send = async (text: string) => {
    await page.getByLabel("Your message").fill(text);
    await page.getByRole("button", { name: "Send", exact: true }).click();
  };
  await send("BROUILLON");
  await expect(page.getByRole("list", { name: "The conversation" })).toContainText("Q1/9");
  await send("EN");
  await expect(page.getByRole("list", { name: "The conversation" }).locator("li").last()).toContainText("From 1");
  for (const reply of ["4", "1 2", "a", "1 2 3 4", "By the school", "SKIP", "1", "2"]) await send(reply);
  await send("1");
  await expect(page.getByRole("list", { name: "The conversation" }).locator("li").last()).toContainText("YES to send");
  await send("YES");
  await expect(page.getByRole("list", { name: "The conversation" }).locator("li").last()).toContainText("nothing is stored");
  await expect((await axeOn(page).analyze()).violations).toEqual([]);
  const stored = await smsResponses();
  if (stored !== null) expect(stored).toBe(0);
  await page.context().close();
});
