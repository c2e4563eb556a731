import { expect, request as playwrightRequest, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { axeOn, E2E, signIn, staffPage } from "./fixtures";

const slug = E2E.themesSlug;
const base = `/en/staff/consultations/${slug}`;

type Theme = "sensors" | "air" | "pollution";

/**
 * What residents write, and the themes this test expects each text to end up with once it
 * accepts every suggestion (keywords below) and tags one text by hand. `hidden` is hidden by
 * the moderator first: never suggested, never counted.
 */
const COMMENTS: { text: string; area: string; themes: Theme[]; byHand?: boolean; hidden?: boolean }[] = [
  { text: "Trop de capteurs dans ma rue.", area: "rural", themes: ["sensors"] },
  { text: "Trop de capteurs dans ma rue !", area: "urban", themes: ["sensors"] },
  { text: "trop de capteurs dans ma rue", area: "rural", themes: ["sensors"] },
  { text: "Un capteur devant l’école suffit.", area: "urban", themes: ["sensors"] },
  { text: "More sensors downtown please", area: "suburban", themes: ["sensors"] },
  { text: "Sensors should be solar powered", area: "urban", themes: ["sensors"] },
  { text: "Les poteaux sont moches", area: "rural", themes: ["sensors"], byHand: true },
  { text: "La qualité de l'air près du marché", area: "urban", themes: ["air"] },
  { text: "L’air est pollué le matin", area: "rural", themes: ["air", "pollution"] },
  { text: "Air quality alerts would help", area: "suburban", themes: ["air"] },
  { text: "Mesurer l'air en hiver", area: "urban", themes: ["air"] },
  { text: "Trop de pollution aux heures de pointe", area: "rural", themes: ["pollution"] },
  { text: "Pollution levels near the market", area: "urban", themes: ["pollution"] },
  { text: "Merci pour les bancs.", area: "rural", themes: [] },
  { text: "Pas de caméras, merci.", area: "urban", themes: [] },
  { text: "Capteurs idiots, maire incompétent", area: "rural", themes: [], hidden: true },
];

const THEMES: Record<Theme, { fr: string; en: string; kwFr: string; kwEn: string }> = {
  sensors: { fr: "Capteurs", en: "Sensors", kwFr: "capteur", kwEn: "sensor" },
  air: { fr: "Qualité de l’air", en: "Air quality", kwFr: "air", kwEn: "air" },
  pollution: { fr: "Pollution", en: "Pollution", kwFr: "pollution, pollué", kwEn: "pollution" },
};

/** After merging Pollution into Air quality: each text's themes, without duplicates. */
const merged = (themes: Theme[]): Theme[] => [...new Set(themes.map((t): Theme => (t === "pollution" ? "air" : t)))];
const visible = COMMENTS.filter((c) => !c.hidden);
const countOf = (theme: Theme) => visible.filter((c) => merged(c.themes).includes(theme)).length;

async function expectNoViolations(page: Page, what: string) {
  const results = await axeOn(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    what,
  ).toEqual([]);
}

test("a moderator builds a codebook, accepts suggestions in bulk, merges two themes, and every output counts the themes", async ({
  browser,
  baseURL,
  request,
}) => {
  test.setTimeout(240_000);
  for (const c of COMMENTS) {
    const form = { submission_id: crypto.randomUUID(), "q.support": "4", "q.measures": "air", "q.retention": "30d", "q.comments": c.text, "q.area": c.area };
    expect((await request.post(`/fr/consultations/${slug}`, { form, maxRedirects: 0 })).status()).toBe(303);
  }

  const page = await staffPage(browser, "moderator");
  const context = page.context();

  // The insult is hidden first, from the moderation page, which links to the themes page.
  await page.goto(`${base}/moderation`);
  const insult = page.getByRole("listitem").filter({ hasText: "Capteurs idiots" });
  await insult.getByLabel("Reason").fill("Insult");
  await insult.getByRole("button", { name: "Hide" }).click();
  await expect(page.getByRole("status")).toHaveText("Text hidden.");
  await page.getByRole("link", { name: "Themes (codebook, tagging, suggestions)" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Themes" })).toBeVisible();
  await expect(page.getByText("No suggestion")).toBeVisible();

  // Three themes, with keywords in both languages.
  for (const key of ["sensors", "air", "pollution"] as const) {
    const th = THEMES[key];
    const create = page.locator("form").filter({ has: page.getByRole("button", { name: "Create the theme" }) });
    if (!(await create.isVisible())) await page.getByText("New theme", { exact: true }).click();
    await create.getByRole("group", { name: "French" }).getByLabel("Name").fill(th.fr);
    await create.getByRole("group", { name: "French" }).getByLabel("Keywords").fill(th.kwFr);
    await create.getByRole("group", { name: "English" }).getByLabel("Name").fill(th.en);
    await create.getByRole("group", { name: "English" }).getByLabel("Keywords").fill(th.kwEn);
    await create.getByRole("button", { name: "Create the theme" }).click();
    await expect(page.getByRole("status")).toHaveText("Theme created.");
  }

  // A name already in use comes back with a message and what was typed.
  await page.getByText("New theme", { exact: true }).click();
  const create = page.locator("form").filter({ has: page.getByRole("button", { name: "Create the theme" }) });
  await create.getByRole("group", { name: "French" }).getByLabel("Name").fill("Capteurs");
  await create.getByRole("group", { name: "English" }).getByLabel("Name").fill("Devices");
  await create.getByRole("button", { name: "Create the theme" }).click();
  await expect(page.getByText("Another theme in use already has this name")).toBeVisible();
  await expect(create.getByRole("group", { name: "English" }).getByLabel("Name")).toHaveValue("Devices");
  await expectNoViolations(page, "themes page with a refused theme");

  // Suggestions, the matched words highlighted; the three identical texts are one group.
  await page.goto(`${base}/themes`);
  const suggestions = page.locator("ul.suggestions > li");
  const group = suggestions.filter({ hasText: "Trop de capteurs dans ma rue" });
  await expect(group).toHaveCount(1);
  await expect(group).toContainText("3 identical answers");
  await expect(group.locator("mark")).toHaveText(["capteurs"]);
  await expect(suggestions.filter({ hasText: "L’air est pollué" }).filter({ hasText: "“Air quality”" }).locator("mark")).toHaveText(["air"]);
  await expect(suggestions.filter({ hasText: "L’air est pollué" }).filter({ hasText: "“Pollution”" }).locator("mark")).toHaveText(["pollué"]);
  await expect(suggestions.filter({ hasText: "More sensors downtown" }).locator("mark")).toHaveText(["sensors"]);
  await expect(suggestions.filter({ hasText: "Capteurs idiots" })).toHaveCount(0);
  await expectNoViolations(page, "themes page with suggestions");

  // Nothing is tagged before a person decides.
  await page.goto(`${base}/themes?theme=untagged`);
  await expect(page.getByText(`${visible.length} texts`)).toBeVisible();

  // Accept them all in one go.
  await page.goto(`${base}/themes`);
  for (const box of await page.locator('input[name="pick"]').all()) await box.check();
  await page.getByRole("button", { name: "Accept the selected suggestions" }).click();
  await expect(page.getByRole("status")).toHaveText("Suggestions accepted: the answers are tagged.");
  await expect(page.getByText("No suggestion")).toBeVisible();

  // One text no keyword matched, tagged by hand from the untagged queue.
  await page.goto(`${base}/themes?theme=untagged`);
  const byHand = COMMENTS.filter((c) => c.byHand);
  await expect(page.getByText(`${visible.filter((c) => !c.themes.length || c.byHand).length} texts`)).toBeVisible();
  for (const c of byHand) {
    const box = page.getByRole("listitem").filter({ hasText: c.text }).getByRole("checkbox");
    // A screen reader hears which text the box selects, not only "Select answer N".
    await expect(box).toHaveAccessibleDescription(c.text);
    await box.check();
  }
  await page.getByLabel("Theme for the selected answers").selectOption({ label: "Sensors" });
  await page.getByRole("button", { name: "Apply to the selected answers" }).click();
  await expect(page.getByRole("status")).toHaveText("Theme applied.");

  // Full-text search: "capteurs" finds "capteur" too, never the hidden text.
  await page.goto(`${base}/themes?q=capteurs`);
  const found = visible.filter((c) => /capteur/i.test(c.text)).length;
  await expect(page.getByText(`${found} texts`)).toBeVisible();
  await expect(page.getByText("Un capteur devant l’école suffit.")).toBeVisible();

  // Merge Pollution into Air quality: one text had both, and keeps one.
  await page.goto(`${base}/themes`);
  const pollution = page.locator("details").filter({ hasText: "Edit, merge or retire “Pollution”" });
  await pollution.locator("summary").click();
  await pollution.getByLabel("Merge into").selectOption({ label: "Air quality (t2)" });
  await pollution.getByRole("button", { name: "Merge" }).click();
  await expect(page.getByRole("status")).toHaveText("Themes merged: the answers now carry the theme you merged into.");
  await expect(page.getByText("merged into “Air quality”")).toBeVisible();
  const codebook = page.getByRole("table", { name: "Themes in use" });
  await expect(codebook.getByRole("row", { name: /Sensors/ })).toContainText(String(countOf("sensors")));
  await expect(codebook.getByRole("row", { name: /Air quality/ })).toContainText(String(countOf("air")));

  // A representative quote for Air quality, from the queue filtered by theme.
  await page.getByLabel("Theme", { exact: true }).selectOption({ label: "Air quality" });
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByText(`${countOf("air")} texts`)).toBeVisible();
  const quote = page.getByRole("listitem").filter({ hasText: "L’air est pollué le matin" }).getByRole("button", { name: "Mark as a quote of “Air quality”" });
  await expect(quote).toHaveAccessibleDescription(/L’air est pollué le matin/);
  await quote.click();
  await expect(page.getByRole("status")).toHaveText("Quote marked.");
  await expectNoViolations(page, "themes queue filtered by a theme");

  // The summary: counts and shares of the visible texts, the quote.
  await page.goto(`${base}/summary?breakdown=area`);
  const comments = page.locator("section.question-summary").filter({ has: page.getByRole("heading", { name: /concerns or suggestions/ }) });
  const themesTable = comments.getByRole("table").filter({ hasText: "Themes: share of the" });
  await expect(themesTable.locator("caption")).toContainText(`${visible.length} visible texts`);
  await expect(
    themesTable
      .getByRole("row", { name: /^Sensors/ })
      .locator("td")
      .first(),
  ).toHaveText(String(countOf("sensors")));
  await expect(
    themesTable
      .getByRole("row", { name: /^Air quality/ })
      .locator("td")
      .first(),
  ).toHaveText(String(countOf("air")));
  await expect(themesTable.getByRole("row", { name: /^Pollution/ })).toHaveCount(0);
  await expect(comments.getByRole("region", { name: "Air quality" }).getByText("L’air est pollué le matin")).toBeVisible();
  await expectNoViolations(page, "summary with themes");

  // summary.csv: one theme row per theme for the question, and per area.
  const summaryCsv: Record<string, string>[] = parse(await (await page.request.get(`${base}/summary.csv?breakdown=area`)).text(), { bom: true, columns: true });
  const themeRow = (code: string, group = "") =>
    summaryCsv.find((r) => r.kind === "theme" && r.question_code === "comments" && r.item === code && r.group === group);
  expect([themeRow("t1")?.item_en, themeRow("t1")?.count, themeRow("t1")?.base]).toEqual(["Sensors", String(countOf("sensors")), String(visible.length)]);
  expect([themeRow("t2")?.item_en, themeRow("t2")?.count]).toEqual(["Air quality", String(countOf("air"))]);
  expect(themeRow("t3")).toBeUndefined();
  for (const area of ["rural", "urban", "suburban"])
    expect(themeRow("t1", area)?.count, area).toBe(String(visible.filter((c) => c.area === area && merged(c.themes).includes("sensors")).length));

  // export.csv, from the consultation's page, read back by a strict CSV parser (quotes, column counts):
  // each text's theme names in the export's language, and their codes in a column of their own.
  const codes = { sensors: "t1", air: "t2", pollution: "t3" } as const;
  const strict = { bom: true, columns: true, relax_quotes: false, relax_column_count: false, skip_empty_lines: false } as const;
  await page.goto(`${base}`);
  for (const [lang, link, delimiter] of [
    ["en", "Raw answers (CSV)", ","],
    ["fr", "Raw answers (CSV for French-locale spreadsheets)", ";"],
  ] as const) {
    const href = await page.getByRole("link", { name: link, exact: true }).getAttribute("href");
    const raw: Record<string, string>[] = parse(await (await page.request.get(href!.replace(/^\/en\//, `/${lang}/`))).text(), { ...strict, delimiter });
    expect(raw.length).toBe(COMMENTS.length);
    for (const c of COMMENTS) {
      const row = raw.find((r) => r.comments === c.text)!;
      // Codebook order: Sensors (t1) before Air quality (t2).
      const themes = merged(c.themes).sort((a, b) => codes[a].localeCompare(codes[b]));
      expect(row.comments_theme_codes, c.text).toBe(themes.map((t) => codes[t]).join(";"));
      expect(row.comments_themes, c.text).toBe(themes.map((t) => THEMES[t][lang]).join("; "));
    }
  }

  // Open data, once an official closes the consultation and publishes it.
  const official = await playwrightRequest.newContext({ baseURL });
  await signIn(official, baseURL!, E2E.official);
  const post = (form: Record<string, string>) => official.post(base, { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect((await post({ intent: "close", confirmed: "yes" })).status()).toBe(302);
  expect((await post({ intent: "publishOpenData" })).status()).toBe(302);
  const open = (await (await request.get(`/open-data/${slug}.json`)).json()) as { results: Record<string, string | number | boolean | null>[] };
  const published = (code: string) => open.results.find((r) => r.kind === "theme" && r.question_code === "comments" && r.option_code === code);
  expect(countOf("sensors")).toBeGreaterThanOrEqual(5);
  expect(countOf("air")).toBeGreaterThanOrEqual(5);
  expect(open.results.find((r) => r.kind === "texts" && r.question_code === "comments")?.count).toBe(visible.length);
  expect(published("t1")).toMatchObject({ option_en: "Sensors", count: countOf("sensors"), suppressed: false });
  expect(published("t2")).toMatchObject({ option_en: "Air quality", count: countOf("air"), suppressed: false });
  expect(published("t3")).toBeUndefined();
  // The texts are not published: no quote goes out.
  expect(open.results.filter((r) => r.kind === "quote")).toEqual([]);
  const openCsv = await (await request.get(`/open-data/${slug}.csv`)).text();
  expect(openCsv).toContain(`,theme,comments,`);

  // Once the moderator publishes the texts, the marked quote goes out with its theme.
  await page.goto(`${base}/moderation`);
  await page.getByRole("button", { name: "Publish the visible texts" }).click();
  await expect(page.getByRole("status")).toHaveText("Free texts published with the results and the open data.");
  const withTexts = (await (await request.get(`/open-data/${slug}.json`)).json()) as typeof open;
  expect(withTexts.results.filter((r) => r.kind === "quote").map((r) => [r.option_code, r.text])).toEqual([["t2", "L’air est pollué le matin"]]);

  // Residents see the theme counts and the quote on the results page.
  // axe runs inside the page, so it is read with JavaScript on (the page itself loads none of its own).
  const resident = await browser.newContext();
  const results = await resident.newPage();
  await results.goto(`/en/consultations/${slug}/results`);
  const themesAnswered = results
    .locator("section")
    .filter({ has: results.getByRole("heading", { name: /concerns or suggestions/ }) })
    .getByRole("table", { name: /Themes among the/ });
  await expect(
    themesAnswered
      .getByRole("row", { name: /^Sensors/ })
      .locator("td.num")
      .first(),
  ).toHaveText(String(countOf("sensors")));
  await expect(
    themesAnswered
      .getByRole("row", { name: /^Air quality/ })
      .locator("td.num")
      .first(),
  ).toHaveText(String(countOf("air")));
  await expect(results.getByRole("figure", { name: "In their words: “Air quality”" })).toContainText("L’air est pollué le matin");
  await expectNoViolations(results, "results page with themes");
  await resident.close();
  await official.dispose();
  await context.close();
});
