import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { axeOn, E2E, staffPage } from "./fixtures";

const slug = E2E.summarySlug;
const summary = (lang: "en" | "fr", query = "") => `/${lang}/staff/consultations/${slug}/summary${query}`;

/** Text of a PDF, by pdftotext (poppler-utils) when it is installed; null otherwise. */
function pdfText(file: string): string | null {
  try {
    return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  } catch {
    return null;
  }
}

async function printed(page: Page, name: string): Promise<{ pages: number; text: string | null }> {
  await page.waitForLoadState("load"); // printed once the whole page has arrived, as a person would
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  mkdirSync("test-results", { recursive: true });
  const file = `test-results/${name}.pdf`;
  writeFileSync(file, pdf);
  await page.emulateMedia({ media: "screen" });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  return { pages, text: pdfText(file) };
}

/** Words of table cells drawn on two lines (cut mid-word) or wider than their cell. */
function brokenWords(page: Page): Promise<string[]> {
  return page.locator("table.figures").evaluateAll((tables) => {
    const out: string[] = [];
    for (const cell of tables.flatMap((t) => [...t.querySelectorAll("th, td")])) {
      if (cell.scrollWidth > cell.clientWidth + 1) out.push(`spills: ${cell.textContent}`);
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        // A word, or the part of a hyphenated word up to its hyphen (a line may end there).
        for (const m of (node.textContent ?? "").matchAll(/[^\s-]+-?/g)) {
          const range = document.createRange();
          range.setStart(node, m.index!);
          range.setEnd(node, m.index! + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) out.push(`cut: ${m[0]}`);
        }
      }
    }
    return out;
  });
}

const answer = (i: number) => ({
  submission_id: crypto.randomUUID(),
  "q.support": ["5", "4", "__prefer_not", "2", "4", "1", "3", "4"][i],
  "q.measures": ["air", "noise", "footfall", "air", "none", "air", "noise", "air"][i],
  "q.retention": ["30d", "1d", "__other", "30d", "1y", "30d", "__other", "1d"][i],
  "q.retention.other": "Une semaine",
  ...(i % 3 === 0
    ? {}
    : {
        "q.priorities.rank.hours": String(1 + (i % 4)),
        "q.priorities.rank.alerts": String(1 + ((i + 1) % 4)),
        "q.priorities.rank.trees": String(1 + ((i + 2) % 4)),
        "q.priorities.rank.opendata": String(1 + ((i + 3) % 4)),
      }),
  "q.comments": `Commentaire ${i}`,
  "q.area": ["rural", "urban", "__prefer_not", "suburban", "rural", "urban", "urban", "rural"][i],
});

test("the printed summary has a running header, page numbers, aligned bars and one line where no reference is set", async ({ browser, request }) => {
  test.setTimeout(90_000);
  for (let i = 0; i < 8; i++) expect((await request.post(`/fr/consultations/${slug}`, { form: answer(i), maxRedirects: 0 })).status()).toBe(303);

  const page = await staffPage(browser, "moderator");
  const context = page.context();

  // Before any reference share: "who has not been heard" is one line with a link.
  await page.goto(summary("en", "?breakdown=area"));
  await expect(page.locator(".heard-none")).toHaveText(/no reference shares are set/);
  await expect(page.locator(".heard-none").getByRole("link")).toHaveAttribute("href", `/en/staff/consultations/${slug}/references`);
  await expect(page.getByRole("heading", { name: "Who has not been heard" })).toHaveCount(0);

  // Every figure says what it is a share of; scales keep "prefer not to say"; rankings show positions.
  const support = page.locator("section").filter({ has: page.getByRole("heading", { name: /in favour of these sensors/ }) });
  await expect(support.locator("caption")).toContainText("Shares of the 8 people who answered this question.");
  await expect(support.getByRole("row", { name: /I prefer not to answer/ })).toContainText("12.5%");
  await expect(support.getByText("Mean: 3.29 out of 5, over the 7 answers that give a value.")).toBeVisible();
  const ranking = page.locator("table.ranking");
  await expect(ranking.locator("caption")).toContainText("Average position (1 = first) among the 5 people");
  await expect(ranking.getByRole("columnheader", { name: "Rank 4" })).toBeVisible();
  await expect(ranking).not.toContainText("100%");
  // Breakdown cells: the group's percentage with its n, Other and prefer-not rows included.
  const retention = page.locator("section").filter({ has: page.getByRole("heading", { name: /detailed measurements be kept/ }) });
  await expect(retention.getByRole("columnheader", { name: /^In the town centre\s*\(n = 3\)$/ })).toBeVisible();
  const other = retention.getByRole("row", { name: /^Other/ });
  await expect(other).toContainText("33.3%");
  await expect(other).toContainText("1 of 3");
  // English numbers in English: no French spacing before a colon or a percent sign.
  expect(await page.locator("article.summary").innerText()).not.toMatch(/ :| %|\u202f%/);

  // Bars line up: every bar of every question table starts at the same x.
  const xs = await page.locator("table.figures .share-bar svg.bar").evaluateAll((svgs) => svgs.map((s) => Math.round(s.getBoundingClientRect().left)));
  expect(xs.length).toBeGreaterThan(10);
  expect(new Set(xs).size, `bar positions ${[...new Set(xs)].join(", ")}`).toBe(1);
  await page.emulateMedia({ media: "print" });
  const printXs = await page.locator("table.figures .share-bar svg.bar").evaluateAll((svgs) => svgs.map((s) => Math.round(s.getBoundingClientRect().left)));
  expect(new Set(printXs).size, `printed bar positions ${[...new Set(printXs)].join(", ")}`).toBe(1);
  await page.emulateMedia({ media: "screen" });
  // The summary with a breakdown and no reference share is checked by axe in accessibility.spec.ts.

  // Printed on A4 (182 mm between the margins), no word of a table cell is cut across lines or spills out of
  // its cell, with a breakdown of seven groups (age) or by area, whose group "…intercommunality" is long.
  for (const query of ["?breakdown=age", "?breakdown=area"]) {
    await page.goto(summary("en", query));
    await page.setViewportSize({ width: 688, height: 1000 });
    await page.emulateMedia({ media: "print" });
    expect(await brokenWords(page), query).toEqual([]);
    await page.emulateMedia({ media: "screen" });
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  await page.goto(summary("en", "?breakdown=area"));

  const en = await printed(page, "summary-en");
  expect(en.pages).toBeGreaterThan(0);
  if (en.text !== null) {
    // The municipality's name leads the running title (tests/e2e/municipality.spec.ts changes it).
    expect(en.text).toMatch(/\S — Summary – Sensors in the Market Square\?/);
    expect(en.text).toMatch(/Figures as of \d{1,2} \w+ \d{4}/);
    expect(en.text).toContain(`Page 1 of ${en.pages}`);
    expect(en.text).toContain(`Page ${en.pages} of ${en.pages}`);
    expect(en.text.match(/Figures as of/g)!.length).toBeGreaterThanOrEqual(en.pages);
    expect(en.text.match(/no reference/g)).toHaveLength(1); // the one line, no table of "no reference" rows
  } else test.info().annotations.push({ type: "note", description: "pdftotext not installed: PDF text not checked" });

  // With reference shares for one question: its table, and one line naming the others.
  const op = await staffPage(browser, "official");
  const official = op.context();
  await op.goto(`/en/staff/consultations/${slug}/references`);
  const area = op.locator("form").filter({ hasText: "Where do you live?" });
  await area.getByLabel("In the countryside (% of the population)").fill("30");
  await area.getByLabel("On the outskirts of the intercommunality (% of the population)").fill("25");
  await area.getByLabel("In the town centre (% of the population)").fill("45");
  await area.getByLabel("Source").fill("Census 2021");
  await area.getByRole("button").click();
  await official.close();

  await page.goto(summary("fr"));
  await expect(page.getByRole("heading", { name: "Qui n’a pas été entendu" })).toBeVisible();
  await expect(page.locator("table.heard-table caption")).toContainText("Parts des 7 personnes qui se sont placées dans un groupe.");
  await expect(page.getByText(/^Sans part de référence\s: Quel âge avez-vous\s\? et Quelle langue préférez-vous\s\?$/)).toBeVisible();
  expect(
    await axeOn(page)
      .analyze()
      .then((r) => r.violations.map((v) => v.id)),
  ).toEqual([]);
  const fr = await printed(page, "summary-fr");
  expect(fr.pages).toBeGreaterThan(0);
  if (fr.text !== null) {
    expect(fr.text).toMatch(/\S — Summary – Des capteurs sur la place du Marché\s\?/);
    expect(fr.text).toContain(`Page 1 sur ${fr.pages}`);
    expect(fr.text).toMatch(/Chiffres au \d{1,2} \S+ \d{4}/);
  }

  // With reference shares for every demographic question, "who has not been heard" holds three tables: it starts on
  // page 1, under the introduction, rather than leaving that page nearly empty; each table stays whole.
  const op2 = await staffPage(browser, "official");
  for (const [question, shares] of [
    ["How old are you?", { "Under 18": "20", "18 to 34": "22", "35 to 54": "26", "55 to 74": "22", "75 and over": "10" }],
    ["Which language do you prefer?", { French: "60", English: "30", Both: "10" }],
  ] as const) {
    await op2.goto(`/en/staff/consultations/${slug}/references`);
    const form = op2.locator("form").filter({ hasText: question });
    for (const [group, share] of Object.entries(shares)) await form.getByLabel(`${group} (% of the population)`).fill(share);
    await form.getByLabel("Source").fill("Census 2021");
    await form.getByRole("button").click();
    await expect(op2).toHaveURL(/done=saved/);
  }
  await op2.context().close();
  await page.goto(summary("en"));
  await expect(page.locator("table.heard-table")).toHaveCount(3);
  const full = await printed(page, "summary-en-heard");
  if (full.text !== null) {
    const [first] = full.text.split("\f");
    expect(first).toContain("Who has not been heard");
    // Its first table, under the section's two explanations, and the start of the next one fits or not: page 1 is not empty.
    expect(first).toMatch(/Where do you live\? — Shares of the 7 people/);
  }
  await context.close();
});
