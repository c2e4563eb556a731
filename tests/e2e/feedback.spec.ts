import { expect, request as playwrightRequest, test } from "@playwright/test";
import { axeOn, E2E, signIn, staffPage } from "./fixtures";

const slug = E2E.moderationSlug;
const answer = (comment: string, area: string) => ({
  submission_id: crypto.randomUUID(),
  "q.support": "4",
  "q.measures": "air",
  "q.retention": "30d",
  "q.comments": comment,
  "q.area": area,
});

test("moderated text stays out of the summary and open data, stays in raw exports, and every step is audited", async ({ browser, baseURL, request }) => {
  test.setTimeout(90_000);
  for (const [comment, area] of [
    ["Merci pour la consultation", "rural"],
    ["Une insulte grossière envers le maire", "urban"],
    ['=HYPERLINK("http://evil.example")', "urban"],
    // Enough answers and texts that residents see figures and texts (k = 5), but too few per area to show them apart.
    ["Plus de bancs, merci", "rural"],
    ["Et les données, qui les lit ?", "rural"],
    ["D’accord pour l’école", "rural"],
  ])
    expect((await request.post(`/fr/consultations/${slug}`, { form: answer(comment, area), maxRedirects: 0 })).status()).toBe(303);

  // The moderator hides one text, with a reason.
  const moderator = await staffPage(browser, "moderator");
  const modContext = moderator.context();
  await moderator.goto(`/en/staff/consultations/${slug}/moderation`);
  const item = moderator.getByRole("listitem").filter({ hasText: "Une insulte grossière" });
  await item.getByRole("button", { name: "Hide" }).click();
  await expect(moderator.getByRole("alert")).toContainText("Give a reason");
  await moderator.getByRole("listitem").filter({ hasText: "Une insulte grossière" }).getByLabel("Reason").fill("Insult");
  await moderator.getByRole("listitem").filter({ hasText: "Une insulte grossière" }).getByRole("button", { name: "Hide" }).click();
  await expect(moderator.getByRole("status")).toHaveText("Text hidden.");
  // Back at the text, hidden, with a way to undo; the list of visible texts leaves it out from the next load.
  const hidden = moderator.getByRole("listitem").filter({ hasText: "Une insulte grossière" });
  await expect(hidden).toContainText("Hidden: Insult");
  await expect(hidden.getByRole("button", { name: "Restore" })).toBeVisible();
  await moderator.goto(`/en/staff/consultations/${slug}/moderation`);
  await expect(moderator.getByText("Une insulte grossière")).toHaveCount(0);

  // Summary: the hidden text is not there; the others are; breakdown by area works.
  await moderator.goto(`/en/staff/consultations/${slug}/summary?breakdown=area`);
  await expect(moderator.getByText("Merci pour la consultation")).toBeVisible();
  await expect(moderator.getByText("Une insulte grossière")).toHaveCount(0);
  // No reference shares are set here: "who has not been heard" is one line with a link.
  await expect(moderator.getByText(/^Who has not been heard: no reference shares are set/)).toBeVisible();

  // Raw export: kept, marked hidden; formulas neutralised.
  const csv = await (await moderator.request.get(`/en/staff/consultations/${slug}/export.csv`)).text();
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv).toMatch(/Une insulte grossière envers le maire,true/);
  expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);

  // The official closes and publishes open data.
  const official = await playwrightRequest.newContext({ baseURL });
  await signIn(official, baseURL!, E2E.official);
  const post = (form: Record<string, string>) => official.post(`/en/staff/consultations/${slug}`, { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect((await request.get(`/open-data/${slug}.csv`)).status()).toBe(404);
  expect((await request.get(`/en/consultations/${slug}/results`)).status()).toBe(404);
  expect((await post({ intent: "publishOpenData" })).status()).toBe(409); // still open

  // While open, the official may show residents the results live: figures only, dated, no texts yet.
  expect((await post({ intent: "publishResults" })).status()).toBe(302);
  const live = await request.get(`/en/consultations/${slug}/results`);
  expect(live.status()).toBe(200);
  const liveHtml = await live.text();
  expect(liveHtml).toMatch(/Figures as of [^<]*: the consultation is still open/);
  expect(liveHtml).toContain("The texts written here are not published (yet)");
  expect(liveHtml).not.toContain("Merci pour la consultation");
  expect(liveHtml).not.toContain(`/open-data/${slug}`); // no open data while open
  expect(await (await request.get("/en")).text()).toContain(`href="/en/consultations/${slug}/results"`);

  expect((await post({ intent: "close", confirmed: "yes" })).status()).toBe(302);
  expect((await post({ intent: "publishOpenData" })).status()).toBe(302);

  // Open data holds the figures; the texts wait for the moderator's choice.
  expect(await (await request.get(`/open-data/${slug}.csv`)).text()).not.toContain("Merci pour la consultation");
  await moderator.goto(`/en/staff/consultations/${slug}/moderation`);
  await moderator.getByRole("button", { name: "Publish the visible texts" }).click();
  await expect(moderator.getByRole("status")).toHaveText("Free texts published with the results and the open data.");
  await expect(moderator.getByText(/The visible free texts are published \(since/)).toBeVisible();

  const openCsv = await (await request.get(`/open-data/${slug}.csv`)).text();
  const openJson = await (await request.get(`/open-data/${slug}.json`)).json();
  expect(openJson.metadata.texts.published).toBe(true);
  for (const body of [openCsv, JSON.stringify(openJson)]) {
    expect(body).toContain("Merci pour la consultation");
    expect(body).not.toContain("Une insulte grossière");
    expect(body).not.toMatch(/receipt|submission|participation_code|code_hash|\d{2}:\d{2}/i);
  }
  expect(openJson.metadata.title).toEqual({ fr: "Moderation – Des capteurs sur la place du Marché\u202f?", en: "Moderation – Sensors in the Market Square?" });
  // Six responses (k = 5): shown (and the CSV has no byte-order mark).
  expect(openJson.metadata.counts.responses).toBe(6);
  expect(openJson.metadata.disclosure.k).toBe(5);
  expect(openCsv.charCodeAt(0)).not.toBe(0xfeff);
  const descriptor = await (await request.get(`/open-data/${slug}/datapackage.json`)).json();
  expect(descriptor.resources[0].path).toMatch(new RegExp(`/open-data/${slug}\\.csv$`));
  const catalog = await (await request.get("/open-data/catalog.json")).json();
  expect(catalog["dcat:dataset"].map((d: { "dct:identifier": string }) => d["dct:identifier"])).toContain(slug);
  expect(openJson.metadata.closed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(Object.keys(openJson.metadata.fields)).toEqual([
    "row",
    "kind",
    "question_code",
    "question_fr",
    "question_en",
    "option_code",
    "option_fr",
    "option_en",
    "position",
    "count",
    "share",
    "mean",
    "suppressed",
    "withheld",
    "text",
  ]);
  const page = await modContext.newPage();
  await page.goto("/fr/open-data");
  await expect(page.getByRole("heading", { name: "Moderation – Des capteurs sur la place du Marché ?" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Catalogue de tous les jeux de données/ })).toHaveAttribute("href", "/open-data/catalog.json");

  // Residents see the results, linked from the consultation, with the same small counts withheld, no framework script.
  for (const lang of ["fr", "en"] as const) {
    await page.goto(`/${lang}/consultations/${slug}`);
    await page.getByRole("link", { name: lang === "fr" ? "Voir ce que tout le monde a répondu" : "See what everyone answered" }).click();
    await expect(page).toHaveURL(new RegExp(`/${lang}/consultations/${slug}/results$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(lang === "fr" ? "Résultats" : "Results");
    // Like every resident page: only the small optional /quorum.js, no framework (read once the whole page has arrived).
    await page.waitForLoadState("load");
    expect((await page.content()).match(/<script[^>]*>/gi)).toEqual(['<script src="/quorum.js" defer="">']);
    await expect(page.getByText(lang === "fr" ? /^Réponses\s:\s6$/ : /^Responses: 6$/)).toBeVisible();
    expect(await page.locator("table").count()).toBeGreaterThan(0);
    expect(await page.locator("svg.bar").count()).toBeGreaterThan(0);
    const body = await page.content();
    expect(body).not.toContain("Une insulte grossière");
    await expect(page.locator("blockquote").filter({ hasText: "Merci pour la consultation" })).toBeVisible();
    // Published after the closing: one date, that of the publication.
    await expect(page.getByText(lang === "fr" ? /^Chiffres publiés le \d/ : /^Figures published on \d/)).toBeVisible();
    await expect(page.getByText(lang === "fr" ? /Chiffres au/ : /Figures as of/)).toHaveCount(0);
    // Four and two per area (under k = 5): the areas are not shown apart, and a sentence says so.
    await expect(
      page
        .getByText(
          lang === "fr"
            ? /^Trop peu de personnes par réponse pour les montrer séparément\s: seul leur nombre total est donné\.$/
            : "Too few people per answer to show them apart: only their total is given.",
        )
        .first(),
    ).toBeVisible();
    await expect(page.getByText(lang === "fr" ? /les réponses trop rares sont regroupées/ : /answers too rare to show are grouped/)).toBeVisible();
    const axe = await axeOn(page).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  }

  // The administrator reads it all in the audit log.
  const admin = await playwrightRequest.newContext({ baseURL });
  await signIn(admin, baseURL!, E2E.admin);
  const audit = await (await admin.get("/en/staff/audit?action=moderation.hide")).text();
  expect(audit).toContain(E2E.moderator);
  expect(audit).toContain("Insult");
  const all = await (await admin.get("/en/staff/audit")).text();
  for (const action of ["consultation.close", "results.publish", "opendata.publish", "texts.publish", "export.csv"]) expect(all).toContain(action);
  await Promise.all([official.dispose(), admin.dispose(), modContext.close()]);
});
