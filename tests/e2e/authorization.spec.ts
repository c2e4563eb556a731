import { expect, request as playwrightRequest, test } from "@playwright/test";
import { E2E, signIn } from "./fixtures";

type Who = "nobody" | "moderator" | "official" | "admin";
const slug = E2E.demoSlug;
const c = `/en/staff/consultations/${slug}`;

/** Every staff page, and who may open it. */
const PAGES: [string, Who[]][] = [
  ["/en/staff", ["moderator", "official", "admin"]],
  ["/en/staff/password", ["moderator", "official", "admin"]],
  ["/en/staff/users", ["admin"]],
  ["/en/staff/consultations/new", ["official", "admin"]],
  [c, ["moderator", "official", "admin"]],
  [`${c}/preview?as=en`, ["moderator", "official", "admin"]],
  [`${c}/edit`, ["official", "admin"]],
  [`${c}/questions`, ["official", "admin"]],
  [`${c}/codes`, ["official", "admin"]],
  [`${c}/codes/${E2E.demoBatchId}`, ["official", "admin"]],
  [`${c}/questionnaire?as=fr`, ["official", "admin"]],
  [`${c}/outcome`, ["official", "admin"]],
  [`${c}/paper`, ["official", "admin"]],
  [`${c}/sms`, ["official", "admin"]],
  [`${c}/summary`, ["moderator", "official", "admin"]],
  [`${c}/summary.csv`, ["moderator", "official", "admin"]],
  [`${c}/summary.css`, ["moderator", "official", "admin"]],
  [`${c}/export.csv`, ["moderator", "official", "admin"]],
  [`${c}/export.json`, ["moderator", "official", "admin"]],
  [`${c}/moderation`, ["moderator", "admin"]],
  [`${c}/themes`, ["moderator", "official", "admin"]],
  [`${c}/themes?theme=untagged&q=capteurs`, ["moderator", "official", "admin"]],
  [`${c}/references`, ["official", "admin"]],
  [`${c}/confirm?intent=close`, ["official", "admin"]],
  [`${c}/duplicate`, ["official", "admin"]],
  [`${c}/delete`, ["official", "admin"]],
  ["/en/staff/audit", ["admin"]],
  ["/en/staff/settings", ["admin"]],
  ["/en/staff/mail", ["admin"]],
  ["/en/staff/audit.csv?format=fr", ["admin"]],
];

/** Every staff action, with a body that changes nothing (an unknown intent or an invalid form), and who may send it. */
const ACTIONS: [string, Record<string, string>, Who[]][] = [
  ["/en/staff/users", { intent: "none" }, ["admin"]],
  ["/en/staff/consultations/new", { slug: "" }, ["official", "admin"]],
  [c, { intent: "none" }, ["official", "admin"]],
  [`${c}/edit`, { slug: "" }, ["official", "admin"]],
  [`${c}/questions`, { intent: "add", code: "" }, ["official", "admin"]],
  [`${c}/codes`, { count: "0" }, ["official", "admin"]],
  [`${c}/codes`, { intent: "cancel", batch: "none" }, ["official", "admin"]],
  [`${c}/paper`, { intent: "grace", days: "-1" }, ["official", "admin"]],
  [`${c}/sms`, { intent: "settings", keyword: "!" }, ["official", "admin"]],
  [`${c}/outcome`, { intent: "none" }, ["official", "admin"]],
  [`${c}/paper`, { submission_id: "x" }, ["official", "admin"]],
  ["/en/staff/password", { current: "" }, ["moderator", "official", "admin"]],
  [`${c}/moderation`, { answerId: "0", action: "hide", reason: "" }, ["moderator", "admin"]],
  [`${c}/themes`, { intent: "create", "fr.label": "", "en.label": "" }, ["moderator", "official", "admin"]],
  [`${c}/themes`, { intent: "accept" }, ["moderator", "official", "admin"]],
  [`${c}/references`, { questionId: "none" }, ["official", "admin"]],
  ["/en/staff/settings", { version: "none" }, ["admin"]],
  ["/en/staff/mail", { intent: "none" }, ["admin"]],
  [`${c}/duplicate`, { slug: "" }, ["official", "admin"]],
  // A closed consultation that is not the demo: nobody may delete it (409), so the matrix deletes nothing.
  [`/en/staff/consultations/${E2E.closedSlug}/delete`, {}, ["official", "admin"]],
];

const EMAIL: Record<Exclude<Who, "nobody">, string> = { moderator: E2E.moderator, official: E2E.official, admin: E2E.admin };

for (const who of ["nobody", "moderator", "official", "admin"] as const) {
  test(`staff pages and actions allow exactly the right roles: ${who}`, async ({ baseURL }) => {
    const request = await playwrightRequest.newContext({ baseURL });
    if (who !== "nobody") await signIn(request, baseURL!, EMAIL[who]);
    for (const [path, allowed] of PAGES) {
      const res = await request.get(path, { maxRedirects: 0 });
      const expected = who === "nobody" ? 302 : allowed.includes(who) ? 200 : 403;
      expect(res.status(), `GET ${path} as ${who}`).toBe(expected);
      if (who === "nobody") expect(res.headers()["location"]).toContain("/en/staff/login?next=");
    }
    for (const [path, form, allowed] of ACTIONS) {
      const res = await request.post(path, { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
      if (who === "nobody") expect(res.status(), `POST ${path} as nobody`).toBe(302);
      else if (!allowed.includes(who)) expect(res.status(), `POST ${path} as ${who}`).toBe(403);
      else expect([400, 409], `POST ${path} as ${who}: ${res.status()}`).toContain(res.status());
    }
    await request.dispose();
  });
}

test("a forged Origin is refused on every form, resident and staff", async ({ baseURL }) => {
  const request = await playwrightRequest.newContext({ baseURL });
  await signIn(request, baseURL!, E2E.admin);
  for (const [path] of [...ACTIONS, [`/en/consultations/${slug}`], ["/en/staff/login"], ["/en/staff/logout"]] as [string][]) {
    const res = await request.post(path, { form: { intent: "none" }, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
    expect(res.status(), `POST ${path} from another site`).toBe(403);
  }
  await request.dispose();
});

test("a deactivated account's sessions end at once", async ({ baseURL, browser }) => {
  // A throwaway official, invited by the admin, signed in, then deactivated.
  const admin = await playwrightRequest.newContext({ baseURL });
  await signIn(admin, baseURL!, E2E.admin);
  const email = `temp-${Date.now()}@quorum.test`;
  const invited = await admin.post("/en/staff/users", { form: { intent: "invite", email, role: "official" }, headers: { Origin: baseURL! } });
  const link = /\/en\/staff\/invitations\/[\w-]+/.exec(await invited.text())![0];
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByLabel("New password", { exact: true }).fill(E2E.password);
  await page.getByLabel("New password again").fill(E2E.password);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page).toHaveURL(/\/en\/staff(#main)?$/);
  // The same link does not work twice.
  expect((await admin.get(link)).status()).toBe(404);

  const users = await (await admin.get("/en/staff/users")).text();
  const userId = new RegExp(`${email}</td>[\\s\\S]*?name="userId" value="([^"]+)"`).exec(users)![1];
  const off = await admin.post("/en/staff/users", { form: { intent: "deactivate", userId }, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(off.status()).toBe(302);
  const res = await page.goto("/en/staff");
  expect(page.url()).toContain("/en/staff/login");
  expect(res?.status()).toBe(200);
  await context.close();
  await admin.dispose();
});
