/**
 * Fault tests, against the production build on the local PostgreSQL (run by
 * .ci/run after `npm test`; `npm run test:faults` by hand):
 *  1. PostgreSQL restarted under a load of submissions: every acknowledged
 *     answer is stored; requests during the outage get a 503 page in the
 *     resident's language with their answers; the app recovers by itself.
 *  2. The app killed with SIGKILL under load: nothing acknowledged is lost.
 *  3. SIGTERM while a request is in flight: it completes, then the app exits.
 *  4. Two app processes on one PostgreSQL share the per-client submission limit:
 *     answers over it get 429 with a page in the resident's language, their
 *     answers kept, and no address is stored.
 * Loops are bounded in count and time; traffic goes to 127.0.0.1 only.
 * PostgreSQL is stopped and started again: run nothing else against it meanwhile.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import postgres from "postgres";

const ADMIN_URL = process.env.FAULTS_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PORT = Number(process.env.FAULTS_PORT ?? 3210);
const BASE = `http://127.0.0.1:${PORT}`;
const SLUG = "capteurs-place-du-marche";
let passed = 0;
let failed = 0;

function check(name: string, ok: boolean, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pgCluster(action: "restart" | "start" | "stop"): void {
  const version = spawnSync("sh", ["-c", "ls /etc/postgresql | head -n 1"], { encoding: "utf8" }).stdout.trim();
  const r = spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pg_ctlcluster ${action} failed: ${r.stderr}`);
}

async function waitFor(url: string, ok: (status: number) => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (ok((await fetch(url)).status)) return true;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return false;
}

function startApp(databaseUrl: string, { port = PORT, submissionsPer10Min = 1_000_000 } = {}): ChildProcess {
  const child = spawn("node", ["server.mjs"], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      // The run answers the demo consultation; on PostgreSQL it is seeded only when asked.
      QUORUM_SEED_DEMO: "true",
      NODE_ENV: "production",
      QUORUM_COOKIE_SECURE: "false",
      QUORUM_LOG_LEVEL: "warn",
      QUORUM_SUBMISSIONS_PER_10_MIN: String(submissionsPer10Min),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once("exit", (code) => r(code))));

function answerBody(submissionId: string): string {
  return new URLSearchParams([
    ["submission_id", submissionId],
    ["q.support", "4"],
    ["q.measures", "air"],
    ["q.retention", "30d"],
    ["q.comments", "Réponse de test de panne"],
  ]).toString();
}

interface Outcome {
  acknowledged: string[]; // receipt codes from 303 redirects
  statuses: Map<number | string, number>;
  unavailablePages: number;
  keptAnswers: number;
  /** The longest a 503 took to arrive: reported, not asserted (times vary by machine). */
  slowest503Ms: number;
}

/** `clients` loops posting answers until `stop()` or `maxEach` each; records what the server acknowledged. */
function load(clients: number, maxEach: number) {
  const outcome: Outcome = { acknowledged: [], statuses: new Map(), unavailablePages: 0, keptAnswers: 0, slowest503Ms: 0 };
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    for (let i = 0; running && i < maxEach; i++) {
      const started = performance.now();
      try {
        const res = await fetch(`${BASE}/fr/consultations/${SLUG}`, {
          method: "POST",
          body: answerBody(crypto.randomUUID()),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: BASE },
          redirect: "manual",
          signal: AbortSignal.timeout(20_000),
        });
        const body = await res.text(); // a response counts once it has fully arrived
        outcome.statuses.set(res.status, (outcome.statuses.get(res.status) ?? 0) + 1);
        // The receipt is the thank-you address's last segment (before its #main).
        if (res.status === 303) outcome.acknowledged.push(new URL(res.headers.get("location")!, "http://x").pathname.split("/").pop()!);
        if (res.status === 503) {
          outcome.slowest503Ms = Math.max(outcome.slowest503Ms, Math.round(performance.now() - started));
          if (body.includes("momentanément indisponible")) outcome.unavailablePages++;
          if (body.includes("Réponse de test de panne")) outcome.keptAnswers++;
        }
      } catch (error) {
        const key = (error as Error).name;
        outcome.statuses.set(key, (outcome.statuses.get(key) ?? 0) + 1);
        await sleep(50);
      }
    }
  });
  return {
    outcome,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcome;
    },
  };
}

async function storedReceipts(sql: postgres.Sql, receipts: string[]): Promise<number> {
  if (receipts.length === 0) return 0;
  const rows = await sql`select count(*)::int as n from responses where receipt_code in ${sql(receipts)}`;
  return rows[0].n as number;
}

async function main() {
  const name = `quorum_faults_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  let app: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    // 1. PostgreSQL restarted under load.
    app = startApp(databaseUrl);
    check("the app starts and migrates on PostgreSQL", await waitFor(`${BASE}/healthz`, (s) => s === 200, 60_000));
    const run = load(16, 2000);
    await sleep(1500);
    // Down for longer than the driver's connect timeout (5 s), so requests really fail meanwhile.
    pgCluster("stop");
    const downAt = Date.now();
    await sleep(2000);
    check("/healthz says 503 while the database is down", (await fetch(`${BASE}/healthz`)).status === 503);
    await sleep(6000);
    pgCluster("start");
    const recovered = await waitFor(`${BASE}/healthz`, (s) => s === 200, 30_000);
    check("the app recovers without a restart after PostgreSQL comes back", recovered, `outage of ${Date.now() - downAt} ms`);
    await sleep(2000);
    const outcome = await run.stop();
    const statuses = Object.fromEntries(outcome.statuses);
    check(
      "no request failed with a 5xx other than 503",
      ![...outcome.statuses.keys()].some((s) => typeof s === "number" && s >= 500 && s !== 503),
      JSON.stringify(statuses),
    );
    check("answers were acknowledged before and after the restart", outcome.acknowledged.length > 50, `${outcome.acknowledged.length} receipts`);
    const stored = await storedReceipts(sql, outcome.acknowledged);
    check("every acknowledged answer is in the database", stored === outcome.acknowledged.length, `${stored}/${outcome.acknowledged.length}`);
    const refused = outcome.statuses.get(503) ?? 0;
    check(
      "requests during the outage got a 503 page in French that keeps the answers",
      refused > 0 && refused === outcome.unavailablePages && refused === outcome.keptAnswers,
      `${refused} × 503, ${outcome.unavailablePages} with the message, ${outcome.keptAnswers} with the answers, the slowest in ${outcome.slowest503Ms} ms`,
    );
    app.kill("SIGTERM");
    check("SIGTERM stops it cleanly", (await exited(app)) === 0);

    // 2. SIGKILL under load.
    app = startApp(databaseUrl);
    await waitFor(`${BASE}/healthz`, (s) => s === 200, 60_000);
    const run2 = load(16, 400);
    await sleep(2000);
    app.kill("SIGKILL");
    await exited(app);
    const outcome2 = await run2.stop();
    const stored2 = await storedReceipts(sql, outcome2.acknowledged);
    check(
      "after SIGKILL under load, every acknowledged answer is in the database",
      outcome2.acknowledged.length > 0 && stored2 === outcome2.acknowledged.length,
      `${stored2}/${outcome2.acknowledged.length}`,
    );

    // 3. SIGTERM drains a request in flight, on a connection its client keeps open (as nginx does):
    // the connection is closed once the response is sent, and the app exits.
    app = startApp(databaseUrl);
    await waitFor(`${BASE}/healthz`, (s) => s === 200, 60_000);
    const body = answerBody(crypto.randomUUID());
    const half = Math.floor(body.length / 2);
    const response = await new Promise<string>((resolve, reject) => {
      const socket = connect(PORT, "127.0.0.1", () => {
        socket.write(
          `POST /fr/consultations/${SLUG} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\nOrigin: ${BASE}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
        );
        setTimeout(() => {
          app!.kill("SIGTERM"); // the request is half sent
          setTimeout(() => socket.write(body.slice(half)), 500);
        }, 300);
      });
      let data = "";
      socket.on("data", (d) => (data += d.toString()));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    check("a request in flight at SIGTERM completes", /^HTTP\/1\.1 303/.test(response), response.split("\r\n")[0]);
    check("then the app exits", (await exited(app)) === 0);
    app = undefined;

    // 4. Two processes, one limit of 3 answers per client per 10 minutes.
    await sql`delete from rate_limits`;
    const LIMIT = 3;
    const other = PORT + 1;
    app = startApp(databaseUrl, { submissionsPer10Min: LIMIT });
    second = startApp(databaseUrl, { port: other, submissionsPer10Min: LIMIT });
    await waitFor(`${BASE}/healthz`, (s) => s === 200, 60_000);
    await waitFor(`http://127.0.0.1:${other}/healthz`, (s) => s === 200, 60_000);
    const send = (port: number, lang: "fr" | "en") =>
      fetch(`http://127.0.0.1:${port}/${lang}/consultations/${SLUG}`, {
        method: "POST",
        body: answerBody(crypto.randomUUID()),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: `http://127.0.0.1:${port}` },
        redirect: "manual",
      });
    const first = [];
    for (let i = 0; i < LIMIT; i++) first.push((await send(PORT, "fr")).status);
    check(
      "answers up to the limit are accepted",
      first.every((s) => s === 303),
      first.join(", "),
    );
    // Each process adds its count to PostgreSQL once a second; the other one reads it back then.
    const seen: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 4 && !limited; i++) {
      await sleep(1_500);
      const res = await send(other, "en");
      seen.push(res.status);
      if (res.status === 429) limited = res;
    }
    const page = limited ? await limited.text() : "";
    check(
      "the other process refuses the client over the shared limit with 429, in English, answers kept",
      !!limited &&
        page.includes("Many answers were sent from this connection") &&
        page.includes("Réponse de test de panne") &&
        Number(limited.headers.get("retry-after")) > 0,
      `statuses from the second process: ${seen.join(", ")}`,
    );
    const accepted = first.filter((s) => s === 303).length + seen.filter((s) => s === 303).length;
    check(
      "at most one answer beyond the limit got in meanwhile (counts are shared once a second)",
      accepted <= LIMIT + 1,
      `${accepted} accepted, limit ${LIMIT}`,
    );
    const frPage = await send(PORT, "fr");
    check(
      "the first process refuses too, in French",
      frPage.status === 429 && (await frPage.text()).includes("Beaucoup de réponses ont été envoyées"),
      String(frPage.status),
    );
    await sleep(1_500);
    const keys = await sql`select key, count from rate_limits`;
    check(
      "the counter is stored under a hashed key, never the address",
      keys.length > 0 && keys.every((k) => !String(k.key).includes("127.0.0.1")),
      keys.map((k) => `${String(k.key).slice(0, 20)}…=${k.count}`).join(", "),
    );
    app.kill("SIGTERM");
    second.kill("SIGTERM");
    await Promise.all([exited(app), exited(second)]);
    app = second = undefined;
  } finally {
    if (app && app.exitCode === null) app.kill("SIGKILL");
    if (second && second.exitCode === null) second.kill("SIGKILL");
    await sql.end({ timeout: 5 }).catch(() => {});
    const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await cleanup.end();
  }
}

try {
  if (spawnSync("which", ["pg_ctlcluster"]).status !== 0) {
    console.log("Fault tests need the local PostgreSQL cluster tools (pg_ctlcluster).");
    process.exitCode = process.env.CI ? 1 : 0;
  } else {
    await main();
  }
} catch (error) {
  failed++;
  console.error("FAIL fault tests stopped:", error);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : (process.exitCode ?? 0));
