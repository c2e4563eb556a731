import { request as httpRequest } from "node:http";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { HOSTILE_NEXT } from "../helpers/hostile-next";
import { E2E, formVersion, signIn } from "./fixtures";

/**
 * A corpus of hostile input sent to every form: never a 5xx, never stored
 * (no redirect to a receipt or a saved page), always a clear message.
 */
const STRINGS = [
  '<script>alert("x")</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(document.cookie)",
  "'; DROP TABLE responses; --",
  "1 OR 1=1",
  "' UNION SELECT password_hash FROM users --",
  "\u0000nul byte\u0000",
  "\u202Eevil right-to-left override",
  "zero\u200Bwidth\u200Bjoiner",
  "😀🎉 émojis et accents éèà",
  "%00%0d%0aSet-Cookie:%20x=1",
  "../../../../etc/passwd",
  "{{constructor.constructor('return 1')()}}",
  "__proto__",
  '{"__proto__":{"admin":true}}',
  "A".repeat(10_000),
  "\r\n\r\nHTTP/1.1 200 OK",
  '=HYPERLINK("http://evil.example")',
  "ﷺ".repeat(500),
  "\uFFFE\uFFFF non-characters",
];

const demo = `/fr/consultations/${E2E.demoSlug}`;
/** A base answer that is invalid (the required "measures" is missing), so nothing may be stored. */
const base = (): [string, string][] => [
  ["submission_id", crypto.randomUUID()],
  ["q.support", "3"],
  ["q.retention", "30d"],
];

function urlencoded(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

interface Case {
  name: string;
  body: string | Buffer;
  contentType?: string;
}

function residentCases(): Case[] {
  const cases: Case[] = [];
  for (const [i, s] of STRINGS.entries()) {
    for (const field of ["q.elsewhere", "q.comments", "q.retention.other", "participation_code", "q.support", "q.age", "q.priorities.rank.hours"]) {
      const pairs = base().filter(([k]) => k !== field);
      pairs.push([field, s]);
      if (field === "q.retention.other") pairs.push(["q.retention", "__other"]);
      cases.push({ name: `${field} = string #${i}`, body: urlencoded(pairs) });
    }
    cases.push({
      name: `submission_id = string #${i}`,
      body: urlencoded([
        ["submission_id", s],
        ["q.support", "3"],
        ["q.measures", "air"],
        ["q.retention", "30d"],
      ]),
    });
  }
  const structural: [string, [string, string][]][] = [
    ["nothing at all", []],
    [
      "missing submission id",
      [
        ["q.support", "3"],
        ["q.measures", "air"],
        ["q.retention", "30d"],
      ],
    ],
    ["scale out of range", [...base(), ["q.support", "6"], ["q.measures", "air"]]],
    ["scale not a number", [...base().filter(([k]) => k !== "q.support"), ["q.support", "three"], ["q.measures", "air"]]],
    ["scale repeated", [...base(), ["q.support", "2"], ["q.measures", "air"]]],
    ["unknown option", [...base().filter(([k]) => k !== "q.retention"), ["q.retention", "forever"], ["q.measures", "air"]]],
    ["option of another question", [...base().filter(([k]) => k !== "q.retention"), ["q.retention", "rural"], ["q.measures", "air"]]],
    ["option id instead of code", [...base(), ["q.measures", "00000000-0000-4000-8000-000000000000"]]],
    ["too many choices", [...base(), ...["footfall", "air", "noise", "none"].map((o) => ["q.measures", o] as [string, string])]],
    ["other ticked without text", [...base(), ["q.measures", "__other"]]],
    ["prefer-not mixed with choices", [...base().filter(([k]) => k !== "q.age"), ["q.measures", "air"], ["q.area", "__prefer_not"], ["q.area", "rural"]]],
    [
      "duplicate ranks",
      [...base(), ["q.measures", "air"], ...["hours", "alerts", "trees", "opendata"].map((o) => [`q.priorities.rank.${o}`, "1"] as [string, string])],
    ],
    [
      "rank out of range",
      [
        ...base(),
        ["q.measures", "air"],
        ...["hours", "alerts", "trees", "opendata"].map((o, i) => [`q.priorities.rank.${o}`, String(i + 7)] as [string, string]),
      ],
    ],
    ["partial ranking", [...base(), ["q.measures", "air"], ["q.priorities.rank.hours", "1"]]],
    ["text over its limit", [...base(), ["q.measures", "air"], ["q.elsewhere", "x".repeat(201)]]],
    ["repeated text field", [...base(), ["q.measures", "air"], ["q.comments", "a"], ["q.comments", "b"]]],
    ["five thousand unknown fields", [...base(), ...Array.from({ length: 5000 }, (_, i) => [`junk${i}`, "x"] as [string, string])]],
    ["field names with brackets", [...base(), ["q.measures[]", "air"], ["q[support]", "5"]]],
    [
      "submission id of another consultation's format",
      [
        ["submission_id", "not-a-uuid"],
        ["q.support", "3"],
        ["q.measures", "air"],
        ["q.retention", "30d"],
      ],
    ],
    ["negative scale", [...base().filter(([k]) => k !== "q.support"), ["q.support", "-1"], ["q.measures", "air"]]],
  ];
  for (const [name, pairs] of structural) cases.push({ name, body: urlencoded(pairs) });
  cases.push({ name: "invalid percent-encoding", body: "submission_id=%E0%A4%A&q.support=%FF%FE&q.measures=%%%" });
  cases.push({ name: "invalid UTF-8 bytes", body: Buffer.concat([Buffer.from("submission_id=x&q.comments="), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff])]) });
  cases.push({ name: "a lone surrogate, percent-encoded", body: "submission_id=x&q.comments=%ED%A0%80" });
  cases.push({ name: "JSON instead of a form", body: JSON.stringify({ submission_id: crypto.randomUUID(), "q.support": 3 }), contentType: "application/json" });
  cases.push({ name: "plain text body", body: "hello", contentType: "text/plain" });
  cases.push({
    name: "multipart with a file",
    body: Buffer.from(
      `--b\r\nContent-Disposition: form-data; name="submission_id"\r\n\r\n${crypto.randomUUID()}\r\n--b\r\nContent-Disposition: form-data; name="q.comments"; filename="x.exe"\r\nContent-Type: application/octet-stream\r\n\r\nMZ\u0000\u0000\r\n--b--\r\n`,
    ),
    contentType: "multipart/form-data; boundary=b",
  });
  return cases;
}

async function post(request: APIRequestContext, url: string, c: Case, origin?: string): Promise<APIResponse> {
  return request.post(url, {
    data: c.body,
    headers: { "Content-Type": c.contentType ?? "application/x-www-form-urlencoded", ...(origin ? { Origin: origin } : {}) },
    maxRedirects: 0,
  });
}

test("the resident form refuses every hostile case clearly, stores none, and never fails", async ({ request }) => {
  test.setTimeout(180_000);
  const cases = residentCases();
  expect(cases.length).toBeGreaterThanOrEqual(180);
  const problems: string[] = [];
  for (const c of cases) {
    const res = await post(request, demo, c);
    const status = res.status();
    const body = await res.text();
    if (status >= 500) problems.push(`${c.name}: ${status}`);
    else if (status === 303 || status === 302) problems.push(`${c.name}: stored (${res.headers()["location"]})`);
    else if (![400, 409, 413, 415].includes(status)) problems.push(`${c.name}: unexpected ${status}`);
    else if (
      [400, 415].includes(status) &&
      !body.includes("Un problème empêche l’envoi de vos réponses") &&
      !body.includes("Cette requête n’a pas pu être lue")
    )
      problems.push(`${c.name}: ${status} without a clear message`);
    else if (status === 400 && body.includes("<script>alert")) problems.push(`${c.name}: markup echoed unescaped`);
  }
  expect(problems).toEqual([]);
});

/**
 * An oversized POST as it starts: its headers declare the whole body and its first kilobyte goes
 * out; the server answers 413 on the declared length and closes, before the rest would be sent
 * (writing it all races the close: EPIPE). The answer is what counts.
 */
function postOversized(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      url,
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        answered = true;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, text });
          req.destroy();
        });
        res.on("error", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.write(body.slice(0, 1024));
  });
}

test("oversized bodies get 413 in the page's language, a forged Origin 403", async ({ request, baseURL }) => {
  const big = await postOversized(`${baseURL}${demo}`, `submission_id=x&q.comments=${"x".repeat(2 * 1024 * 1024)}`);
  expect(big.status).toBe(413);
  expect(big.text).toContain("Trop de données envoyées");
  const bigEn = await postOversized(`${baseURL}/en/consultations/${E2E.demoSlug}`, "x".repeat(1024 * 1024 + 1));
  expect(bigEn.status).toBe(413);
  expect(bigEn.text).toContain("Too much data sent");
  const forged = await request.post(demo, { form: { submission_id: crypto.randomUUID() }, headers: { Origin: "http://evil.example" }, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
});

test("the receipt form answers every hostile code with a page, never an error", async ({ request }) => {
  const problems: string[] = [];
  for (const s of [...STRINGS, "", " ", "ZZZZ-ZZZZ-ZZZZ", "%", "0000-0000", "IIII-LLLL"]) {
    const viaForm = await request.get(`/en/receipts?code=${encodeURIComponent(s)}`, { maxRedirects: 0 });
    // A target over 8 KiB is refused as such (414); anything else gets the form's answer.
    if (![303, 400, 414].includes(viaForm.status())) problems.push(`?code=${s.slice(0, 30)}: ${viaForm.status()}`);
    const direct = await request.get(`/en/receipts/${encodeURIComponent(s.slice(0, 300)) || "x"}`);
    // Control characters in a path are refused before routing (400); other codes are unknown receipts (404).
    const expected = /[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/.test(s.slice(0, 300)) ? 400 : 404;
    if (direct.status() !== expected) problems.push(`/receipts/${s.slice(0, 30)}: ${direct.status()}`);
  }
  expect(problems).toEqual([]);
});

test("staff forms refuse hostile input with a message and store nothing", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const official = await playwrightRequest.newContext({ baseURL });
  await signIn(official, baseURL!, E2E.official);
  const moderator = await playwrightRequest.newContext({ baseURL });
  await signIn(moderator, baseURL!, E2E.moderator);
  const admin = await playwrightRequest.newContext({ baseURL });
  await signIn(admin, baseURL!, E2E.admin);
  const anonymous = await playwrightRequest.newContext({ baseURL });
  const c = `/en/staff/consultations/${E2E.demoSlug}`;
  const forms: [APIRequestContext, string, (s: string) => Record<string, string>, number[]][] = [
    [official, "/en/staff/consultations/new", (s) => ({ slug: s, mode: "open", "fr.title": s }), [400]],
    [official, "/en/staff/consultations/new", (s) => ({ slug: "valid-slug-hostile", mode: s }), [400]],
    [official, "/en/staff/consultations/new", (s) => ({ slug: "valid-slug-hostile-2", mode: "open", opensAt: s }), [400]],
    [official, `${c}/questions`, (s) => ({ intent: "add", code: s, kind: "single" }), [400]],
    [official, `${c}/questions`, (s) => ({ intent: "add", code: "ok", kind: s }), [400]],
    [official, `${c}/codes`, (s) => ({ count: s }), [400, 409]],
    [official, `${c}/references`, (s) => ({ questionId: s }), [400]],
    [official, `${c}/outcome`, (s) => ({ intent: s, "fr.heard": s }), [400]],
    [official, `${c}/paper`, (s) => ({ submission_id: s, "q.support": s }), [400]],
    // The demo's texts must survive: the English ones are missing, so nothing may be saved.
    [official, `${c}/edit`, (s) => ({ slug: E2E.demoSlug, mode: "open", "fr.title": s, "fr.summary": s, closesAt: s }), [400]],
    [admin, "/en/staff/users", (s) => ({ intent: "invite", email: s, role: "official" }), [400]],
    [admin, "/en/staff/users", (s) => ({ intent: "invite", email: "someone@example.org", role: s }), [400]],
    [admin, "/en/staff/users", (s) => ({ intent: "role", userId: s, role: "admin" }), [400, 409]],
    [admin, "/en/staff/users", (s) => ({ intent: s, userId: s }), [400]],
    [anonymous, `/en/staff/invitations/${encodeURIComponent("x".repeat(43))}`, (s) => ({ password: s, confirm: s }), [400, 409]],
    [official, c, (s) => ({ intent: s }), [400]],
    [moderator, `${c}/moderation`, (s) => ({ answerId: s, action: "hide", reason: s }), [400]],
    [moderator, "/en/staff/password", (s) => ({ current: s, next: "short", confirm: s }), [400]],
    [anonymous, "/en/staff/login", (s) => ({ email: s, password: s }), [400, 429]],
  ];
  const problems: string[] = [];
  let count = 0;
  for (const [ctx, url, make, allowed] of forms) {
    for (const s of STRINGS) {
      count++;
      const res = await ctx.post(url, { form: make(s), headers: { Origin: baseURL! }, maxRedirects: 0 });
      const body = await res.text();
      if (res.status() >= 500) problems.push(`${url} ${s.slice(0, 20)}: ${res.status()}`);
      else if (!allowed.includes(res.status())) problems.push(`${url} ${s.slice(0, 20)}: unexpected ${res.status()}`);
      else if ([400, 409].includes(res.status()) && !/class="error|role="alert"|This invitation link is not valid/.test(body))
        problems.push(`${url} ${s.slice(0, 20)}: no message`);
    }
  }
  expect(count).toBeGreaterThanOrEqual(200);
  expect(problems).toEqual([]);
  await Promise.all([official.dispose(), moderator.dispose(), admin.dispose(), anonymous.dispose()]);
});

/** Where a Location header leads, seen from the site: it must stay on this origin, inside the staff area. */
function staysInStaff(location: string | undefined, baseURL: string): boolean {
  if (!location) return false;
  const url = new URL(location, baseURL);
  return url.origin === new URL(baseURL).origin && (url.pathname === "/en/staff" || url.pathname.startsWith("/en/staff/"));
}

test("sign-in never sends anyone off the staff area, whatever next says", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const signedIn = await playwrightRequest.newContext({ baseURL });
  await signIn(signedIn, baseURL!, E2E.moderator);
  const problems: string[] = [];
  for (const next of HOSTILE_NEXT) {
    const label = JSON.stringify(next).slice(0, 60);
    // Signed in already: the sign-in page sends on at once.
    const viaGet = await signedIn.get(`/en/staff/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
    if (viaGet.status() !== 302 || viaGet.headers()["location"] !== "/en/staff")
      problems.push(`GET ${label}: ${viaGet.status()} ${viaGet.headers()["location"]}`);
    // Right after a successful sign-in.
    const anonymous = await playwrightRequest.newContext({ baseURL });
    const viaPost = await anonymous.post("/en/staff/login", {
      form: { email: E2E.moderator, password: E2E.password, next },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    // After the form, the address names the page's main content (#main), never the form's #errors.
    if (viaPost.status() !== 302 || viaPost.headers()["location"] !== "/en/staff#main")
      problems.push(`POST ${label}: ${viaPost.status()} ${viaPost.headers()["location"]}`);
    for (const res of [viaGet, viaPost]) if (!staysInStaff(res.headers()["location"], baseURL!)) problems.push(`${label} leaves: ${res.headers()["location"]}`);
    await anonymous.dispose();
  }
  // A next inside the staff area is still honoured, both ways.
  const inside = "/en/staff/consultations/" + E2E.demoSlug + "/summary";
  expect((await signedIn.get(`/en/staff/login?next=${encodeURIComponent(inside)}`, { maxRedirects: 0 })).headers()["location"]).toBe(inside);
  const fresh = await playwrightRequest.newContext({ baseURL });
  const posted = await fresh.post("/en/staff/login", {
    form: { email: E2E.moderator, password: E2E.password, next: inside },
    headers: { Origin: baseURL! },
    maxRedirects: 0,
  });
  expect(posted.headers()["location"]).toBe(`${inside}#main`);
  expect(problems).toEqual([]);
  await Promise.all([signedIn.dispose(), fresh.dispose()]);
});

test("staff ids, dates and filters that cannot be read get a message or are ignored, never a 5xx", async ({ baseURL }) => {
  const official = await playwrightRequest.newContext({ baseURL });
  await signIn(official, baseURL!, E2E.official);
  const admin = await playwrightRequest.newContext({ baseURL });
  await signIn(admin, baseURL!, E2E.admin);
  const origin = { Origin: baseURL! };
  const c = `/en/staff/consultations/${E2E.draftSlug}`;
  const version = await formVersion(official, `${c}/questions`);
  const post = (url: string, body: string) =>
    official.post(url, { data: body, headers: { ...origin, "Content-Type": "application/x-www-form-urlencoded" }, maxRedirects: 0 });

  // Reordering with a question id that is a header injection, a euro sign, or nothing.
  for (const id of ["a%0d%0aLocation:%20https://evil.example", "%E2%82%AC", "a%0d%0a%0d%0a<html>", ""]) {
    const res = await post(`${c}/questions`, `intent=up&version=${version}&questionId=${id}`);
    expect(res.status(), `questionId=${id}`).toBe(400);
    expect(await res.text()).toContain("Not found: it may have been removed meanwhile.");
  }
  const unknown = await post(`${c}/questions`, `intent=shuffle&version=${version}`);
  expect(unknown.status()).toBe(400);
  expect(await unknown.text()).toContain("This action is not known.");

  // Dates that do not exist or lie beyond the years there are: refused with a message, never rolled over.
  const editVersion = await formVersion(official, `${c}/edit`);
  for (const [closesAt, message] of [
    ["9999-99-99T99:99", "Use the date picker"],
    ["2024-13-01T10:00", "Use the date picker"],
    ["2025-02-29T10:00", "Use the date picker"],
    ["0999-01-01T00:00", "Use a year from 1900 to 9999."],
    ["10000-01-01T00:00", "Use the date picker"],
  ]) {
    const res = await post(`${c}/edit`, `version=${editVersion}&slug=${E2E.draftSlug}&mode=open&closesAt=${encodeURIComponent(closesAt)}`);
    expect(res.status(), closesAt).toBe(400);
    const body = await res.text();
    expect(body, closesAt).toContain(message);
    expect(body, closesAt).toContain(`value="${closesAt}"`);
  }
  const fresh = await post("/en/staff/consultations/new", "slug=rolled-over&mode=open&opensAt=2024-13-01T10:00");
  expect(fresh.status()).toBe(400);

  // conform's reserved names and absurd list indices are not the parser's problem.
  for (const body of [
    `__intent__=not-json&intent=up&version=${version}`,
    `__state__={&intent=add&version=${version}&code=x&kind=single`,
    `intent=add&version=${version}&code=big&kind=single&options[99999999].code=x`,
  ]) {
    const res = await post(`${c}/questions`, body);
    expect(res.status(), body).toBeLessThan(500);
  }

  // Query-string filters: read when they can be, ignored (and said) when they cannot.
  for (const query of ["from=2024-99-99", "to=9999-12-31", "from=2024-13-01&to=2024-02-30", "from=0001-01-01", "to=%00", "action=%00&actor=%E2%82%AC"]) {
    const res = await admin.get(`/en/staff/audit?${query}`);
    expect(res.status(), query).toBe(200);
  }
  const badDay = await (await admin.get("/en/staff/audit?from=2024-99-99")).text();
  expect(badDay).toContain("Use the date picker");
  expect(badDay).toContain("A date that could not be read was left out of the filter.");
  const m = `/en/staff/consultations/${E2E.demoSlug}`;
  for (const path of [
    `${m}/moderation?state=nope&page=abc&question=%00`,
    `${m}/moderation?page=99999999999999`,
    `${m}/summary?breakdown=%E2%82%AC`,
    `${m}/summary?breakdown=${"x".repeat(500)}`,
  ])
    expect((await admin.get(path)).status(), path).toBe(200);
  await Promise.all([official.dispose(), admin.dispose()]);
});
