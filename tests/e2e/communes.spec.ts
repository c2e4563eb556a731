/**
 * Two communes on one process (QUORUM_COMMUNES=many): each sees only its own, and staff of one
 * can neither read nor change anything of the other — on every staff address, GET and POST.
 *
 * The server runs on a database of its own, set up as an operator would (tests/e2e/communes-setup.ts).
 * Requests go over plain HTTP with the Host a browser would send for each commune's address.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import remixConfig from "../../remix.config.js";
import { answerDemo } from "./fixtures";

const baseUrl = process.env.DATABASE_URL;
test.skip(!baseUrl, "many communes live on PostgreSQL: run with DATABASE_URL (CI does)");
test.describe.configure({ mode: "serial" });

const PORT = Number(process.env.E2E_PORT ?? 3100) + 5;
const A = `saint-amand.localhost:${PORT}`;
const B = `bourg-blanc.localhost:${PORT}`;
const PASSWORD = "a long test password";
const dbName = `quorum_communes_${process.pid}`;
const dbUrl = baseUrl ? Object.assign(new URL(baseUrl), { pathname: `/${dbName}` }).toString() : "";
const env: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: dbUrl,
  QUORUM_COMMUNES: "many",
  QUORUM_ORIGIN: `http://localhost:${PORT}`,
  PORT: String(PORT),
  NODE_ENV: "production",
  QUORUM_COOKIE_SECURE: "false",
  QUORUM_CODE_SECRET: "communes test secret, long enough to be accepted",
  QUORUM_PASSWORD: PASSWORD,
  QUORUM_LOG_LEVEL: "silent",
  HOST_A: A,
  HOST_B: B,
};
delete env.QUORUM_SMTP_URL;

interface Reply {
  status: number;
  location: string;
  cookies: string[];
  body: string;
}

function call(host: string, method: string, path: string, options: { cookie?: string; form?: Record<string, string>; origin?: string } = {}): Promise<Reply> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: PORT,
        method,
        path,
        // A connection of its own: a kept-alive one the server has just closed would fail the request (the CLI steps take seconds).
        agent: false,
        headers: {
          Host: host,
          ...(options.cookie ? { Cookie: options.cookie } : {}),
          ...(body !== undefined
            ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: options.origin ?? `http://${host}` }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            location: String(res.headers.location ?? ""),
            cookies: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Every staff address the app answers, from the one route table, with `:slug` and the other parameters filled in. */
function staffPaths(slug: string): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  const defineRoutes = (define: (route: (path: string, file: string, a?: unknown, b?: unknown) => void) => void) => {
    const route = (path: string, _file: string, a?: unknown, b?: unknown) => {
      const children = typeof a === "function" ? a : typeof b === "function" ? b : undefined;
      stack.push(path);
      found.push(stack.filter(Boolean).join("/"));
      if (children) (children as () => void)();
      stack.pop();
    };
    define(route);
    return found;
  };
  (remixConfig as unknown as { routes: (d: typeof defineRoutes) => unknown }).routes(defineRoutes);
  return found
    .filter((p) => p.startsWith(":lang/staff"))
    .map(
      (p) => `/${p.replace(":lang", "fr").replace(":slug", slug).replace(":batch", "00000000-0000-0000-0000-000000000000").replace(":token", "x".repeat(43))}`,
    );
}

/** Everything in a commune's schema but the rate-limit counters, as text: equal before and after means nothing changed. */
/** Every row commune `id` holds, table by table (but the rate-limit counters), as text; refused when it holds no consultation, so no comparison is ever of nothing. */
async function contents(id: number): Promise<string> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const tables =
      await sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('rate_limits') order by 1`;
    const parts: string[] = [];
    for (const { table_name: t } of tables) {
      const rows = await sql.unsafe(`select t::text as row from public."${t}" t where commune_id = $1 order by 1`, [id]);
      if (t === "consultations" && !rows.length) throw new Error(`commune ${id} holds no consultation: nothing to compare`);
      parts.push(`${t}: ${rows.map((r) => r.row).join("\n")}`);
    }
    return parts.join("\n\n");
  } finally {
    await sql.end();
  }
}

let server: ChildProcess | undefined;
let seeded: { receiptsA: string[]; codesA: string[]; shortA: string; slug: string; publishedA: string };

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const admin = postgres(baseUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end();
  const printed = execFileSync("npx", ["tsx", "tests/e2e/communes-setup.ts"], { env, encoding: "utf8" });
  seeded = JSON.parse(printed.trim().split("\n").pop()!);
  server = spawn("node", ["server.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 150; i++) {
    const up = await call("localhost", "GET", "/healthz").catch(() => null);
    if (up?.status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the many-communes server did not start");
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  if (!baseUrl) return;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
});

async function signIn(host: string, email: string): Promise<string> {
  const reply = await call(host, "POST", "/fr/staff/login", { form: { email, password: PASSWORD, next: "/fr/staff" } });
  expect(reply.status, `sign-in of ${email} on ${host}`).toBe(302);
  const cookie = reply.cookies.find((c) => !c.endsWith("="));
  expect(cookie, "a session cookie").toBeTruthy();
  return cookie!;
}

test("each commune is served on its own host with its own name; any other host gets 421", async () => {
  const a = await call(A, "GET", "/fr");
  const b = await call(B, "GET", "/en");
  expect(a.status).toBe(200);
  expect(a.body).toContain("Saint-Amand-des-Prés");
  expect(a.body).not.toContain("Bourg-Blanc");
  expect(b.status).toBe(200);
  expect(b.body).toContain("Bourg-Blanc-on-Heath");
  expect(b.body).not.toContain("Saint-Amand");
  for (const host of [
    `localhost:${PORT}`,
    `127.0.0.1:${PORT}`,
    `other.localhost:${PORT}`,
    "saint-amand.localhost",
    `saint-amand.localhost.evil.test:${PORT}`,
  ]) {
    expect((await call(host, "GET", "/fr")).status, host).toBe(421);
  }
  expect((await call("anything.example", "GET", "/healthz")).status).toBe(200);
  // The same address in each commune is each commune's own consultation, its links on its own origin.
  const pageA = await call(A, "GET", `/fr/consultations/${seeded.slug}`);
  const pageB = await call(B, "GET", `/fr/consultations/${seeded.slug}`);
  expect(pageB.body).toContain("Titre propre à Bourg-Blanc");
  expect(pageA.body).not.toContain("Titre propre à Bourg-Blanc");
  expect(pageA.body).not.toContain(B);
  expect(pageB.body).not.toContain(A);
});

test("A's session is not a session on B; with it, no staff address of B shows or changes anything", async () => {
  const cookieA = await signIn(A, "maire@saint-amand.test");
  expect((await call(A, "GET", "/fr/staff", { cookie: cookieA })).status).toBe(200);
  // B's administrator cannot sign in on A, nor A's on B.
  expect((await call(A, "POST", "/fr/staff/login", { form: { email: "maire@bourg-blanc.test", password: PASSWORD } })).status).not.toBe(302);
  expect((await call(B, "POST", "/fr/staff/login", { form: { email: "maire@saint-amand.test", password: PASSWORD } })).status).not.toBe(302);

  const before = await contents(2);
  const paths = staffPaths(seeded.slug);
  expect(paths.length).toBeGreaterThan(30);
  const open = new Set(["/fr/staff/login", "/fr/staff/forgot", `/fr/staff/reset/${"x".repeat(43)}`, `/fr/staff/invitations/${"x".repeat(43)}`]);
  for (const path of paths) {
    for (const method of ["GET", "POST"] as const) {
      const reply = await call(B, method, path, {
        cookie: cookieA,
        form: method === "POST" ? { __intent__: "save", email: "maire@saint-amand.test", role: "admin" } : undefined,
      });
      const where = `${method} ${path} on B with A's session`;
      expect(reply.status, where).toBeLessThan(500);
      expect(reply.body, where).not.toContain("Titre propre à Bourg-Blanc");
      expect(reply.body, where).not.toContain("maire@bourg-blanc.test");
      if (open.has(path)) continue;
      // Not signed in on B: sent to B's sign-in page, or refused.
      if (reply.status >= 300 && reply.status < 400) expect(reply.location, where).toMatch(/^\/fr\/staff\/login/);
      else expect(reply.status, where).toBeGreaterThanOrEqual(400);
    }
  }
  expect(await contents(2), "B's tables after every staff address was tried with A's session").toBe(before);
});

test("A's receipts, codes, short address and open data are unknown on B", async () => {
  const code = seeded.receiptsA[0];
  const onA = await call(A, "GET", `/en/receipts/${code}`);
  const onB = await call(B, "GET", `/en/receipts/${code}`);
  const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
  expect(title(onA.body)).toMatch(/^Yes, this answer was counted/);
  const unknown = await call(B, "GET", `/en/receipts/ZZZZ-ZZZZ`);
  expect(title(onB.body)).toMatch(/^No answer has this code/);
  expect(onB.status).toBe(unknown.status);

  expect((await call(A, "GET", `/fr/c/${seeded.shortA}`)).status).toBeGreaterThanOrEqual(300);
  expect((await call(A, "GET", `/fr/c/${seeded.shortA}`)).status).toBeLessThan(400);
  expect((await call(B, "GET", `/fr/c/${seeded.shortA}`)).status).toBe(404);

  const catalogA = JSON.parse((await call(A, "GET", "/open-data/catalog.json")).body);
  const catalogB = (await call(B, "GET", "/open-data/catalog.json")).body;
  expect(JSON.stringify(catalogA)).toContain(seeded.publishedA);
  expect(JSON.stringify(catalogA)).toContain(`http://${A}`);
  expect(JSON.stringify(catalogA)).not.toContain(B);
  expect(catalogB).not.toContain(seeded.publishedA);
  expect(catalogB).not.toContain(A);
  expect((await call(A, "GET", `/open-data/${seeded.publishedA}/datapackage.json`)).status).toBe(200);
  expect((await call(B, "GET", `/open-data/${seeded.publishedA}/datapackage.json`)).status).toBe(404);
});

test("a participation code of A is refused on B, as a resident's browser sends it, and counted on A", async ({ page }) => {
  const send = async (host: string, code: string) => {
    // Chromium sends *.localhost to this machine, with the commune's host in Host.
    await page.goto(`http://${host}/fr/consultations/avec-codes`);
    await page.getByLabel("Code de participation").fill(code);
    await answerDemo(page, "fr");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Envoyer mes réponses" }).click(),
    ]);
    return response.status();
  };
  const before = await contents(2);
  expect(await send(B, seeded.codesA[0])).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Ce code de participation n’est pas valable");
  expect(await contents(2), "a code of A tried on B changes nothing of B").toBe(before);
  expect(await send(A, seeded.codesA[0])).toBe(303);
  await expect(page).toHaveURL(new RegExp(`^http://${A.replace(".", "\\.")}/fr/consultations/avec-codes/thanks/`));
});

test("a suspended commune's pages say so, its data stays, and the other commune is untouched", async () => {
  const cli = (action: string) => execFileSync("npx", ["tsx", "scripts/commune.ts", action, "--host", B], { env, stdio: "ignore" });
  cli("suspend");
  await expect.poll(async () => (await call(B, "GET", "/fr")).status, { timeout: 10_000 }).toBe(503);
  const page = await call(B, "GET", "/fr");
  expect(page.body).toContain("suspendu");
  expect((await call(A, "GET", "/fr")).status).toBe(200);
  cli("resume");
  await expect.poll(async () => (await call(B, "GET", "/fr")).status, { timeout: 10_000 }).toBe(200);
  expect((await call(B, "GET", `/fr/consultations/${seeded.slug}`)).body).toContain("Titre propre à Bourg-Blanc");
});

test("a commune exported then removed is no longer served (421), and the others are untouched", async () => {
  const C = `saint-cyr.localhost:${PORT}`;
  const cli = (...args: string[]) => execFileSync("npx", ["tsx", "scripts/commune.ts", ...args], { env, stdio: "ignore" });
  cli("add", "--host", C, "--name-fr", "Saint-Cyr", "--name-en", "Saint-Cyr");
  await expect.poll(async () => (await call(C, "GET", "/fr")).status, { timeout: 10_000 }).toBe(200);
  const before = await contents(1);
  const out = mkdtempSync(path.join(tmpdir(), "quorum-communes-"));
  try {
    cli("export", "--host", C, "--out", path.join(out, "saint-cyr"));
    expect(readdirSync(path.join(out, "saint-cyr"))).toContain("datapackage.json");
    cli("remove", "--host", C, "--yes");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  await expect.poll(async () => (await call(C, "GET", "/fr")).status, { timeout: 10_000 }).toBe(421);
  expect((await call(A, "GET", "/fr")).status).toBe(200);
  expect(await contents(1), "removing another commune changes nothing of A").toBe(before);
});
