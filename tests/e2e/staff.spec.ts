import { expect, request as playwrightRequest, test, type Locator, type Page } from "@playwright/test";
import { E2E, formVersion, receiptOnPage, signIn, signInPage, staffPage } from "./fixtures";

async function bilingual(scope: Page | Locator, group: string, fr: string, en: string) {
  const box = scope.getByRole("group", { name: group, exact: true });
  await box.getByLabel("French").fill(fr);
  await box.getByLabel("English").fill(en);
}

const FIELDS: [string, string, string][] = [
  ["Title", "Wi-Fi public à la bibliothèque", "Public Wi-Fi at the library"],
  ["One-line summary", "Un accès Wi-Fi gratuit, sans compte, à la bibliothèque.", "Free Wi-Fi without an account at the library."],
  ["Proposal", "La commune propose un Wi-Fi public.\n\nIl serait coupé la nuit.", "The municipality proposes public Wi-Fi.\n\nIt would be off at night."],
  ["Data card: what data would be collected", "Le nombre d’appareils connectés par heure.", "The number of connected devices per hour."],
  ["Data card: why", "Dimensionner le réseau.", "Sizing the network."],
  ["Data card: how long it is kept", "Un an.", "One year."],
  ["Data card: who can see it", "Le service informatique.", "The IT department."],
  ["Data card: where the devices would be", "Dans la salle de lecture.", "In the reading room."],
];

interface Q {
  kind: string;
  code: string;
  fr: string;
  en: string;
  required?: boolean;
  other?: boolean;
  demographic?: string;
  scale?: boolean;
  options?: [string, string, string][];
}
const QUESTIONS: Q[] = [
  {
    kind: "Single choice",
    code: "useful",
    fr: "Ce Wi-Fi vous serait-il utile ?",
    en: "Would this Wi-Fi be useful to you?",
    required: true,
    options: [
      ["yes", "Oui", "Yes"],
      ["no", "Non", "No"],
    ],
  },
  {
    kind: "Multiple choice",
    code: "uses",
    fr: "Pour quoi faire ?",
    en: "What for?",
    other: true,
    options: [
      ["work", "Travailler", "Work"],
      ["forms", "Démarches", "Paperwork"],
      ["leisure", "Loisirs", "Leisure"],
    ],
  },
  { kind: "Agreement scale 1–5", code: "agree", fr: "Êtes-vous d’accord ?", en: "Do you agree?", scale: true },
  { kind: "Short text", code: "hours", fr: "Quels horaires ?", en: "Which hours?" },
  { kind: "Long text", code: "remarks", fr: "Remarques", en: "Remarks" },
  {
    kind: "Ranking",
    code: "priority",
    fr: "Classez",
    en: "Rank",
    options: [
      ["speed", "Vitesse", "Speed"],
      ["privacy", "Confidentialité", "Privacy"],
    ],
  },
  {
    kind: "Single choice",
    code: "area",
    fr: "Où habitez-vous ?",
    en: "Where do you live?",
    demographic: "Area (rural, suburban, urban)",
    options: [
      ["rural", "Campagne", "Countryside"],
      ["urban", "Ville", "Town"],
    ],
  },
];

async function addQuestion(page: Page, q: Q) {
  const add = page.locator("#add");
  await add.getByLabel("Kind").selectOption({ label: q.kind });
  await add.getByLabel("Code", { exact: true }).fill(q.code);
  if (q.required) await add.getByLabel("Required").check();
  if (q.other) await add.getByLabel("Offer “Other: ___”").check();
  if (q.demographic) await add.getByLabel("Demographic question").selectOption({ label: q.demographic });
  await bilingual(add, "Wording", q.fr, q.en);
  if (q.scale) {
    await bilingual(add, "Scale: label of 1", "Pas du tout", "Not at all");
    await bilingual(add, "Scale: label of 5", "Tout à fait", "Fully");
  }
  for (const [i, [code, fr, en]] of (q.options ?? []).entries()) {
    await add.getByLabel(`Code of answer ${i + 1}`, { exact: true }).fill(code);
    await add.getByLabel(`Label of answer ${i + 1} in French`).fill(fr);
    await add.getByLabel(`Label of answer ${i + 1} in English`).fill(en);
  }
  await add.getByRole("button", { name: "Add this question" }).click();
  await expect(page.getByRole("status")).toHaveText("Question added.");
}

test("an official takes a consultation from draft to published outcome, with residents and paper answers in between", async ({ browser }) => {
  test.setTimeout(120_000);
  const slug = `wifi-${Date.now()}`;

  // The administrator (made by `npm run staff:create`) invites an official and a moderator.
  const admin = await staffPage(browser, "admin");
  const adminContext = admin.context();
  const links: string[] = [];
  for (const [email, role] of [
    [`official-${slug}@quorum.test`, "official"],
    [`moderator-${slug}@quorum.test`, "moderator"],
  ]) {
    await admin.goto("/en/staff/users");
    await admin.getByLabel("Email address").fill(email);
    await admin.getByLabel("Role", { exact: true }).selectOption(role);
    await admin.getByRole("button", { name: "Create the invitation link" }).click();
    links.push((await admin.locator(".invite-link").innerText()).trim());
  }
  const join = async (link: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill("a strong enough password");
    await page.getByLabel("New password again").fill("a strong enough password");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page).toHaveURL(/\/en\/staff(#main)?$/);
    return page;
  };
  const official = await join(links[0]);
  const moderator = await join(links[1]);
  await expect(moderator.getByRole("link", { name: "New consultation" })).toHaveCount(0);

  // The official writes the consultation, leaving one English text out.
  await official.getByRole("link", { name: "New consultation" }).click();
  await official.getByLabel("Address (slug)").fill(slug);
  for (const [group, fr, en] of FIELDS) await bilingual(official, group, fr, group === "One-line summary" ? "" : en);
  await official.getByRole("button", { name: "Create the draft" }).click();
  await expect(official).toHaveURL(new RegExp(`/en/staff/consultations/${slug}/questions`));
  for (const q of QUESTIONS) await addQuestion(official, q);

  // Opening is refused while the English summary is missing, and the page says what is missing.
  await official.goto(`/en/staff/consultations/${slug}`);
  await expect(official.getByText("One-line summary (English)")).toBeVisible();
  await official.getByRole("button", { name: "Open to residents" }).click();
  await expect(official.getByRole("alert")).toContainText("It cannot open yet");
  await official.getByRole("link", { name: "Edit texts and settings" }).click();
  await official.getByRole("group", { name: "One-line summary", exact: true }).getByLabel("English").fill(FIELDS[1][2]);
  await official.getByRole("button", { name: "Save" }).click();
  await official.getByRole("button", { name: "Open to residents" }).click();
  await expect(official.getByText("Residents will be able to answer from now.")).toBeVisible();
  // The same confirmation, kept in another tab (as the Back button keeps it).
  const stale = await official.context().newPage();
  await stale.goto(official.url());
  await official.getByRole("button", { name: "Yes, open it now" }).click();
  await expect(official.getByRole("status")).toHaveText("The consultation is open: residents can answer.");
  // Sent again, the change is refused with the status the consultation is in now and what can be done from it.
  const nowOpen =
    "Nothing was changed: the consultation is now open to residents (this form may have been sent already, for example before going back). From its page, you can close it.";
  await stale.getByRole("button", { name: "Yes, open it now" }).click();
  await expect(stale.getByRole("alert")).toHaveText(nowOpen);
  await expect(stale.getByRole("button", { name: "Close now" })).toBeVisible();
  // Coming back to the confirmation page says the same.
  await stale.goBack();
  await stale.reload();
  await expect(stale.getByRole("alert")).toHaveText(nowOpen);
  await stale.close();

  // A resident answers, without JavaScript.
  const residentContext = await browser.newContext({ javaScriptEnabled: false });
  const resident = await residentContext.newPage();
  await resident.goto(`/fr/consultations/${slug}`);
  await resident.getByRole("radio", { name: "Oui" }).check();
  await resident.getByRole("checkbox", { name: "Travailler" }).check();
  await resident.getByRole("radio", { name: "5 – Tout à fait" }).check();
  await resident.getByLabel("Quels horaires ?").fill("Le soir");
  await resident.locator("select[name='q.priority.rank.speed']").selectOption("2");
  await resident.locator("select[name='q.priority.rank.privacy']").selectOption("1");
  await resident.getByRole("radio", { name: "Campagne" }).check();
  await resident.getByRole("button", { name: "Envoyer mes réponses" }).click();
  await receiptOnPage(resident);

  // The official types in a paper answer, then sees both counted, by channel.
  await official.goto(`/en/staff/consultations/${slug}/paper`);
  await official.getByRole("checkbox", { name: "No", exact: true }).check();
  await official.getByRole("checkbox", { name: "2", exact: true }).check();
  await official.getByRole("button", { name: "Record this paper form" }).click();
  await expect(official.getByRole("status")).toContainText("Paper form recorded");
  await official.goto(`/en/staff/consultations/${slug}`);
  await expect(official.getByText("2 answers (web 1, offline 0, paper 1, SMS 0)")).toBeVisible();

  // Closes it, publishes the outcome in both languages.
  await official.getByRole("button", { name: "Close now" }).click();
  await expect(official.getByText("Residents will no longer be able to answer; 2 answers received.")).toBeVisible();
  await official.getByRole("button", { name: "Yes, close it now" }).click();
  await expect(official.getByRole("status")).toHaveText("The consultation is closed.");
  await official.getByRole("link", { name: /^Outcome/ }).click();
  await bilingual(official, "What we heard", "Vous voulez le Wi-Fi le soir.", "You want Wi-Fi in the evening.");
  await bilingual(official, "What we decided", "Il ouvrira jusqu’à 21 h.", "It will run until 9 pm.");
  await official.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(official.getByRole("status")).toHaveText("Outcome published: residents see it now.");

  // Residents see it, in both languages: on the list of closed consultations and on the page.
  for (const [lang, title, decided] of [
    ["fr", FIELDS[0][1], "Il ouvrira jusqu’à 21 h."],
    ["en", FIELDS[0][2], "It will run until 9 pm."],
  ]) {
    await resident.goto(`/${lang}`);
    await expect(resident.getByRole("region", { name: lang === "fr" ? /Terminées/ : /Closed/ }).getByRole("link", { name: title })).toBeVisible();
    await resident.getByRole("link", { name: title }).click();
    await expect(resident.getByText(decided)).toBeVisible();
  }
  for (const c of [adminContext, residentContext]) await c.close();
});

const PAYLOADS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)", "<b>bold</b>&amp;"];

test("script or markup typed in any editor field renders as inert text on resident and staff pages", async ({ page, baseURL }) => {
  const request = await playwrightRequest.newContext({ baseURL });
  await signIn(request, baseURL!, E2E.official);
  const slug = `inert-${Date.now()}`;
  const origin = { Origin: baseURL! };
  const texts: Record<string, string> = {};
  for (const lang of ["fr", "en"])
    for (const f of ["title", "summary", "body", "dataCollected", "dataPurpose", "dataRetention", "dataAccess", "dataLocation"])
      texts[`${lang}.${f}`] = `${PAYLOADS[(f.length + lang.length) % PAYLOADS.length]} ${f}`;
  const created = await request.post("/en/staff/consultations/new", { form: { slug, mode: "open", ...texts }, headers: origin, maxRedirects: 0 });
  expect(created.status()).toBe(302);
  const question: Record<string, string> = {
    intent: "add",
    code: "q1",
    kind: "single",
    version: await formVersion(request, `/en/staff/consultations/${slug}/questions`),
  };
  for (const lang of ["fr", "en"]) Object.assign(question, { [`${lang}.prompt`]: PAYLOADS[0], [`${lang}.help`]: PAYLOADS[1] });
  for (const [i, label] of [PAYLOADS[1], PAYLOADS[3]].entries())
    Object.assign(question, { [`options[${i}].code`]: `o${i}`, [`options[${i}].fr`]: label, [`options[${i}].en`]: label });
  expect((await request.post(`/en/staff/consultations/${slug}/questions`, { form: question, headers: origin, maxRedirects: 0 })).status()).toBe(302);
  expect(
    (await request.post(`/en/staff/consultations/${slug}`, { form: { intent: "open", confirmed: "yes" }, headers: origin, maxRedirects: 0 })).status(),
  ).toBe(302);
  const outcome = {
    intent: "save",
    version: await formVersion(request, `/en/staff/consultations/${slug}/outcome`),
    "fr.heard": PAYLOADS[0],
    "fr.decided": PAYLOADS[1],
    "en.heard": PAYLOADS[0],
    "en.decided": PAYLOADS[1],
  };
  expect((await request.post(`/en/staff/consultations/${slug}/outcome`, { form: outcome, headers: origin, maxRedirects: 0 })).status()).toBe(302);

  const pages = [
    `/fr/consultations/${slug}`,
    `/en/consultations/${slug}`,
    "/en",
    `/en/staff/consultations/${slug}`,
    `/en/staff/consultations/${slug}/edit`,
    `/en/staff/consultations/${slug}/questions`,
    `/en/staff/consultations/${slug}/preview?as=fr`,
    `/en/staff/consultations/${slug}/outcome`,
    `/en/staff/consultations/${slug}/paper`,
    "/en/staff",
  ];
  for (const path of pages) {
    const html = await (await request.get(path)).text();
    expect(html, path).not.toContain('<script>alert("x")</script>');
    expect(html, path).not.toContain("<img src=x");
    expect(html, path).not.toContain("<b>bold</b>");
  }
  expect(await (await request.get(`/en/consultations/${slug}`)).text()).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");

  // In a browser: nothing runs, and the text reads as typed.
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/en/consultations/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("title");
  await expect(page.getByRole("group").first()).toContainText('<script>alert("x")</script>');
  expect(dialogs).toEqual([]);
  await request.dispose();
});

/** An account of its own, made through an invitation, so its sign-in counters and sessions touch no other test. */
async function throwawayAccount(baseURL: string, label: string): Promise<string> {
  const admin = await playwrightRequest.newContext({ baseURL });
  await signIn(admin, baseURL, E2E.admin);
  const email = `${label}-${Date.now()}@quorum.test`;
  const invited = await admin.post("/en/staff/users", { form: { intent: "invite", email, role: "moderator" }, headers: { Origin: baseURL } });
  const link = /\/en\/staff\/invitations\/[\w-]+/.exec(await invited.text())![0];
  const joined = await admin.post(link, { form: { password: E2E.password, confirm: E2E.password }, headers: { Origin: baseURL }, maxRedirects: 0 });
  expect(joined.status()).toBe(302);
  await admin.dispose();
  return email;
}

test("a client guessing a password is stopped, in its language, while the owner signs in from another address", async ({ baseURL }) => {
  const email = await throwawayAccount(baseURL!, "guessed");
  const guesser = await playwrightRequest.newContext({ baseURL });
  const guess = (lang: string, password: string) =>
    guesser.post(`/${lang}/staff/login`, { form: { email, password, next: "/en/staff" }, headers: { Origin: baseURL! }, maxRedirects: 0 });
  for (let i = 0; i < 5; i++) {
    const res = await guess("en", `wrong guess number ${i}`);
    expect(res.status()).toBe(400);
    const page = await res.text();
    expect(page).toContain("The email address or the password is wrong.");
    expect(page).toContain(`value="${email}"`);
  }
  const stopped = await guess("en", "another wrong guess");
  expect(stopped.status()).toBe(429);
  expect(Number(stopped.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await stopped.text()).toMatch(/Too many failed sign-in attempts from this connection\. Wait 1[45] minutes/);
  const stoppedFr = await guess("fr", "encore une mauvaise supposition");
  expect(stoppedFr.status()).toBe(429);
  expect(await stoppedFr.text()).toMatch(/Attendez 1[45] minutes/);
  // The guessing client is refused even the right password…
  expect((await guess("en", E2E.password)).status()).toBe(429);

  // …while the owner, connecting from another address (IPv6 loopback), signs in.
  const port = new URL(baseURL!).port;
  const elsewhere = `http://[::1]:${port}`;
  const owner = await playwrightRequest.newContext({ baseURL: elsewhere });
  const reachable = await owner.get("/healthz").then(
    (r) => r.ok(),
    () => false,
  );
  test.skip(!reachable, "this machine has no IPv6 loopback: a second client address cannot be simulated");
  const signedIn = await owner.post("/en/staff/login", { form: { email, password: E2E.password }, headers: { Origin: elsewhere }, maxRedirects: 0 });
  expect(signedIn.status()).toBe(302);
  expect(signedIn.headers()["location"]).toBe("/en/staff#main");
  await Promise.all([guesser.dispose(), owner.dispose()]);
});

test("changing one's password, without JavaScript, signs out the other browser and keeps this one", async ({ browser, baseURL }) => {
  const email = await throwawayAccount(baseURL!, "changes");
  const here = await browser.newContext({ javaScriptEnabled: false });
  const there = await browser.newContext({ javaScriptEnabled: false });
  const page = await here.newPage();
  const other = await there.newPage();
  // A refused sign-in gives the email back, never the password.
  await page.goto("/en/staff/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("not my password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The email address or the password is wrong.");
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await expect(page.getByLabel("Password")).toHaveValue("");
  await page.getByLabel("Password").fill(E2E.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/en\/staff(#main)?$/);
  await signInPage(other, email);
  const before = (await here.cookies()).find((c) => c.name === "quorum_session")!.value;

  await page.goto("/en/staff/password");
  await page.getByLabel("Current password").fill(E2E.password);
  await page.getByLabel("New password", { exact: true }).fill("a brand new long password");
  await page.getByLabel("New password again").fill("a brand new long password");
  await page.getByRole("button", { name: "Change my password" }).click();
  await expect(page.getByRole("status")).toContainText("Every other session of your account has been signed out.");
  expect((await here.cookies()).find((c) => c.name === "quorum_session")!.value).not.toBe(before);
  await page.goto("/en/staff");
  await expect(page).toHaveURL(/\/en\/staff(#main)?$/);

  await other.goto("/en/staff");
  await expect(other).toHaveURL(/\/en\/staff\/login/);
  // The old session id, replayed, no longer works either.
  const replay = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { Cookie: `quorum_session=${before}` } });
  expect((await replay.get("/en/staff", { maxRedirects: 0 })).status()).toBe(302);
  await Promise.all([here.close(), there.close(), replay.dispose()]);
});
