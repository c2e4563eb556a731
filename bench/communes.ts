/**
 * Many communes on one process (decisions 062 and 072), measured: for 1 and for 500 communes, each with the
 * demo consultation open, one Quorum process in `QUORUM_COMMUNES=many` mode on a database of its
 * own: the time from start to the first /healthz answer, the memory it holds after the load (RSS),
 * consultation pages and answers per second with the requests spread over every commune (each
 * request names a commune picked at random, by its Host), and the connections PostgreSQL held.
 * The same load against one commune in single-commune mode gives the ratios.
 *
 * Every server is started, and served a while (decision 069), before any figure is taken; then
 * the windows of load take turns between them, each with the others paused, three rounds, and a
 * figure is the median of its windows: on a shared machine whose speed moves from one minute to
 * the next, servers measured one after the other, minutes apart, gave ratios that moved by half.
 * Each window also records the CPU time the server and PostgreSQL spent per request served, read
 * from /proc, in the window and until both are quiet after it (so the work answers leave behind,
 * public figures taken again, counts for the answers, not for the pages measured next): how many
 * requests the same CPU serves, whatever the machine's speed at that moment; the server's own part
 * is kept apart too (PostgreSQL's background work, its autovacuum after a window of answers, falls
 * in whichever window it runs in). Before each window of pages, each commune's page is asked once,
 * measured apart (`firstPages`): the answers of the window before moved its public figures, so it
 * is rendered again, once per commune, as for its residents' next visit; the window of pages then
 * measures pages served as residents are served between changes.
 *
 * Run alone: `BENCH_PARTS=communes npm run bench` (or `npx tsx bench/communes.ts`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import http from "node:http";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Db } from "../db/client";
import { addCommuneWith, prepareCommunes } from "../db/communes";
import * as schema from "../db/schema";
import { demoConsultation } from "../app/domain/consultations/demo";
import { createConsultation } from "../app/domain/consultations/queries.server";

/** BENCH_COMMUNES_PORT: the single commune's server listens on it, the others from ten ports above it. */
const PORT = Number(process.env.BENCH_COMMUNES_PORT ?? 3304);
/** BENCH_COMMUNES_DB_PREFIX: how the names of the databases it creates and drops begin. */
const DB_PREFIX = process.env.BENCH_COMMUNES_DB_PREFIX ?? "quorum_bench";
/** Communes receiving the load in the "few busy" case. */
const BUSY = 10;
const SLUG = "capteurs-place-du-marche";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Load {
  loadAverage?: number[];
  /** CPU time of the server and of PostgreSQL (all its processes: the other servers are paused) per request served, ms. */
  cpuMs?: number;
  /** The server's own part of it: what the process itself spent per request, whatever PostgreSQL's background work did meanwhile. */
  serverCpuMs?: number;
  perSecond: number;
  ok: number;
  errors: number;
  p50ms: number;
  p99ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 200 });

function request(port: number, host: string, method: "GET" | "POST", path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: {
          Host: host,
          "Accept-Encoding": "gzip",
          ...(body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: `http://${host}` } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** One answer to the demo consultation, as its form sends it (a fresh submission id each time). */
export const answer = () =>
  new URLSearchParams([
    ["submission_id", crypto.randomUUID()],
    ["q.support", "4"],
    ["q.measures", "air"],
    ["q.measures", "noise"],
    ["q.retention", "30d"],
    ["q.comments", "Une réponse de banc d’essai, avec des accents."],
    ["q.area", "rural"],
  ]).toString();

async function hammer(seconds: number, concurrency: number, one: () => Promise<boolean>): Promise<Load> {
  const end = Date.now() + seconds * 1000;
  return drive(concurrency, () => (Date.now() < end ? one : null));
}

/** `one` for each host once, `concurrency` at a time, as a Load (the rate: hosts served a second). */
async function onceEach(hosts: string[], concurrency: number, one: (host: string) => Promise<boolean>): Promise<Load> {
  let next = 0;
  return drive(Math.min(concurrency, hosts.length), () => {
    if (next >= hosts.length) return null;
    const host = hosts[next++];
    // Once more on a failure to connect: a kept-alive socket the server closed while it was paused.
    return () => one(host).catch(() => one(host));
  });
}

/** `concurrency` loops, each sending the request `next` gives until it gives none, as a Load. */
async function drive(concurrency: number, next: () => (() => Promise<boolean>) | null): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let one = next(); one; one = next()) {
        const t0 = performance.now();
        try {
          if (await one()) latencies.push(performance.now() - t0);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => +(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);
  return { perSecond: Math.round(latencies.length / elapsed), ok: latencies.length, errors, p50ms: at(50), p99ms: at(99) };
}

/** The machine's load average (1, 5, 15 minutes) when a figure was taken: other work shares the cores. */
const loadAverage = () => os.loadavg().map((x) => +x.toFixed(2));

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
}

async function start(port: number, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; startMs: number }> {
  const t0 = performance.now();
  const child = spawn("node", ["server.mjs"], { env, stdio: ["ignore", "ignore", "inherit"] });
  const until = Date.now() + 10 * 60_000;
  while (Date.now() < until && child.exitCode === null) {
    if ((await request(port, "localhost", "GET", "/healthz").catch(() => 0)) === 200) return { child, startMs: Math.round(performance.now() - t0) };
    await sleep(50);
  }
  child.kill("SIGKILL");
  throw new Error("the server did not start");
}

async function stop(child: ChildProcess) {
  child.kill("SIGTERM");
  for (let i = 0; i < 100 && child.exitCode === null; i++) await sleep(100);
}

/**
 * Waits until the database is quiet (fewer than 5 transactions in a second, at most 3 minutes):
 * a process with many communes purges each of them once it listens, which is start-up work, not
 * the load measured. Returns how long that took.
 */
async function settled(admin: postgres.Sql, database: string): Promise<number> {
  const t0 = performance.now();
  const commits = async () => (await admin`select xact_commit::bigint as n from pg_stat_database where datname = ${database}`)[0].n as bigint;
  let last = await commits();
  while (performance.now() - t0 < 180_000) {
    await sleep(1000);
    const now = await commits();
    if (now - last < 5n) break;
    last = now;
  }
  return Math.round(performance.now() - t0);
}

async function connections(admin: postgres.Sql, database: string): Promise<number> {
  const [row] = await admin`select count(*)::int as n from pg_stat_activity where datname = ${database}`;
  return row.n as number;
}

/**
 * Serves every host once, a page and an answer, as a process that has run a while has (the first
 * page of a commune is rendered, the first statement on its tables reads their descriptions), then
 * `seconds` of answers and of pages spread over all of them, unmeasured. Returns how long the
 * first pass took.
 */
async function warmUp(port: number, hosts: string[], seconds: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, hosts.length) }, async () => {
      while (next < hosts.length) {
        const host = hosts[next++];
        await request(port, host, "GET", `/fr/consultations/${SLUG}`);
        await request(port, host, "POST", `/fr/consultations/${SLUG}`, answer());
      }
    }),
  );
  const firstPass = Math.round(performance.now() - t0);
  const pick = () => hosts[Math.floor(Math.random() * hosts.length)];
  await hammer(seconds, concurrency, async () => (await request(port, pick(), "POST", `/fr/consultations/${SLUG}`, answer())) === 303);
  await hammer(seconds, concurrency, async () => (await request(port, pick(), "GET", `/fr/consultations/${SLUG}`)) === 200);
  return firstPass;
}

/** One server under measure: its process, its port, its database and the hosts its load picks among. */
interface Target {
  name: string;
  child: ChildProcess;
  port: number;
  database: string;
  hosts: string[];
  loads: { firstPages: Load[]; pages: Load[]; answers: Load[] };
  peak: number;
}

const median = (loads: Load[]): Load => [...loads].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(loads.length / 2)];
const medianCpu = (loads: Load[], part: "cpuMs" | "serverCpuMs" = "cpuMs"): number | null => {
  const values = loads
    .map((l) => l[part])
    .filter((v): v is number => typeof v === "number")
    .sort((a, b) => a - b);
  return values.length ? values[Math.floor(values.length / 2)] : null;
};

/** CPU seconds a process has used, from /proc (Linux); 0 when it cannot be read. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

/** CPU seconds used so far by process `pid` and by each PostgreSQL process of the machine, by process. */
function serverAndDatabaseCpu(pid: number): Map<number, number> {
  const used = new Map([[pid, cpuSeconds(pid)]]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") used.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return used;
}

/** CPU seconds the server and PostgreSQL spent since `before`, and the server's part (by process: one that ended meanwhile is left out, never counted negative; one that began counts whole). */
function spentApart(pid: number, before: Map<number, number>): { all: number; server: number } {
  let all = 0;
  let server = 0;
  for (const [proc, seconds] of serverAndDatabaseCpu(pid)) {
    const spent = Math.max(0, seconds - (before.get(proc) ?? 0));
    all += spent;
    if (proc === pid) server = spent;
  }
  return { all, server };
}

/**
 * Waits until the server and PostgreSQL are quiet (under a tenth of a core for half a second, at
 * most 30 s), and returns how long that took. The work a window of load leaves behind (public
 * figures taken again after a step of answers, in the background; PostgreSQL writing out) is that
 * window's: counted in its CPU, not in the next window's, whatever it measures.
 */
async function quiet(pid: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < 30_000) {
    const before = serverAndDatabaseCpu(pid);
    await sleep(500);
    if (spentApart(pid, before).all < 0.05) break;
  }
  return Math.round(performance.now() - t0);
}

/**
 * `hammer`, with the CPU the server and PostgreSQL spent per request served: in the window and
 * until both are quiet again after it (`trailingMs`: how long that was).
 */
async function measured(pid: number, run: () => Promise<Load>): Promise<Load & { trailingMs: number }> {
  const before = serverAndDatabaseCpu(pid);
  const load = await run();
  const trailingMs = await quiet(pid);
  const spent = spentApart(pid, before);
  const per = (seconds: number) => (load.ok ? +((seconds * 1000) / load.ok).toFixed(3) : undefined);
  return { ...load, trailingMs, cpuMs: per(spent.all), serverCpuMs: per(spent.server) };
}

/**
 * The windows of load, in turns: each round measures every target once, pages then answers, with
 * every other server paused (SIGSTOP), so the targets share the machine's good and bad moments
 * instead of each getting its own minutes of them. A figure is the median of its windows.
 */
async function rounds(targets: Target[], count: number, seconds: number, concurrency: number, admin: postgres.Sql) {
  for (let round = 0; round < count; round++) {
    // Each round begins with the next target, so that none always has the round's first moments.
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const target of order) {
      for (const other of targets) if (other.child !== target.child) other.child.kill("SIGSTOP");
      target.child.kill("SIGCONT");
      const watch = setInterval(() => void connections(admin, target.database).then((n) => (target.peak = Math.max(target.peak, n))), 500);
      try {
        const pick = () => target.hosts[Math.floor(Math.random() * target.hosts.length)];
        const pid = target.child.pid!;
        // Each commune's page once first: answers in the window before moved its public figures, so
        // it is rendered again (as it would be for its residents' next visit), measured apart.
        const firstPages = await measured(pid, () =>
          onceEach(target.hosts, concurrency, async (host) => (await request(target.port, host, "GET", `/fr/consultations/${SLUG}`)) === 200),
        );
        target.loads.firstPages.push({ ...firstPages, loadAverage: loadAverage() });
        const pages = await measured(pid, () =>
          hammer(seconds, concurrency, async () => (await request(target.port, pick(), "GET", `/fr/consultations/${SLUG}`)) === 200),
        );
        target.loads.pages.push({ ...pages, loadAverage: loadAverage() });
        const answers = await measured(pid, () =>
          hammer(seconds, concurrency, async () => (await request(target.port, pick(), "POST", `/fr/consultations/${SLUG}`, answer())) === 303),
        );
        target.loads.answers.push({ ...answers, loadAverage: loadAverage() });
      } finally {
        clearInterval(watch);
        for (const other of targets) other.child.kill("SIGCONT");
      }
    }
  }
}

const figures = (t: Target) => ({
  pages: median(t.loads.pages),
  answers: median(t.loads.answers),
  cpuMs: {
    pages: medianCpu(t.loads.pages),
    answers: medianCpu(t.loads.answers),
    firstPages: medianCpu(t.loads.firstPages),
    serverPages: medianCpu(t.loads.pages, "serverCpuMs"),
    serverAnswers: medianCpu(t.loads.answers, "serverCpuMs"),
  },
  firstPages: median(t.loads.firstPages),
  peakConnections: t.peak,
  windows: t.loads,
});

export async function benchCommunes(adminUrl: string, options: { counts?: number[]; seconds?: number; concurrency?: number; rounds?: number } = {}) {
  const counts = options.counts ?? [1, 500];
  const seconds = options.seconds ?? 10;
  const concurrency = options.concurrency ?? 50;
  const roundCount = options.rounds ?? 3;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const made: string[] = [];
  const running: ChildProcess[] = [];
  const urlOf = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const common: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    QUORUM_LOG_LEVEL: "warn",
    QUORUM_COOKIE_SECURE: "false",
    QUORUM_SUBMISSIONS_PER_10_MIN: "1000000",
    QUORUM_CODE_SECRET: "bench secret for participation codes, long enough",
  };
  delete common.QUORUM_SMTP_URL;
  const out: Record<string, unknown> = { seconds, concurrency, rounds: roundCount };
  const targets: Target[] = [];
  const described: Record<string, Record<string, unknown>> = {};
  try {
    // One commune, as Quorum runs today.
    {
      const name = `${DB_PREFIX}_single_${Date.now()}`;
      await admin.unsafe(`create database "${name}"`);
      made.push(name);
      const port = PORT;
      const { child, startMs } = await start(port, {
        ...common,
        PORT: String(port),
        DATABASE_URL: urlOf(name),
        QUORUM_SEED_DEMO: "true",
        QUORUM_ORIGIN: `http://localhost:${port}`,
      });
      running.push(child);
      const hosts = [`localhost:${port}`];
      const warmUpMs = await warmUp(port, hosts, 2, concurrency);
      await quiet(child.pid!);
      child.kill("SIGSTOP");
      targets.push({ name: "single", child, port, database: name, hosts, loads: { firstPages: [], pages: [], answers: [] }, peak: 0 });
      described.single = { startMs, warmUpMs };
    }
    for (const [index, count] of counts.entries()) {
      const name = `${DB_PREFIX}_communes_${count}_${Date.now()}`;
      await admin.unsafe(`create database "${name}"`);
      made.push(name);
      const url = urlOf(name);
      const port = PORT + 10 + index; // clear of 3306, which a MySQL or MariaDB on the machine may hold
      const hosts: string[] = [];
      const t0 = performance.now();
      // One connection adds them all, as commune:add would one by one, its commune then set to each new one.
      await prepareCommunes(url);
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const db: Db = drizzle(sql, { schema });
      for (let i = 1; i <= count; i++) {
        const host = `c${i}.localhost:${port}`;
        const added = await addCommuneWith(sql, { hosts: [host], nameFr: `Commune ${i}`, nameEn: `Commune ${i}` });
        if (!added.ok) throw new Error(`commune ${i}: ${added.refusal}`);
        await sql`select set_config('quorum.commune', ${String(added.commune.id)}, false)`;
        await createConsultation(db, { ...demoConsultation(new Date()), slug: SLUG });
        hosts.push(host);
      }
      await sql.end();
      const setupSeconds = +((performance.now() - t0) / 1000).toFixed(1);
      const { child, startMs } = await start(port, {
        ...common,
        PORT: String(port),
        DATABASE_URL: url,
        QUORUM_COMMUNES: "many",
        QUORUM_ORIGIN: `http://localhost:${port}`,
      });
      running.push(child);
      const settleMs = await settled(admin, name);
      const rssIdleMiB = rssMiB(child.pid!);
      // As a process that has served a while: every commune visited, then 10 s of each load.
      const warmUpMs = await warmUp(port, hosts, count > 1 ? 10 : 2, concurrency);
      await quiet(child.pid!);
      child.kill("SIGSTOP");
      // Every request to a commune picked at random among all: the worst spread.
      targets.push({ name: `communes${count}`, child, port, database: name, hosts, loads: { firstPages: [], pages: [], answers: [] }, peak: 0 });
      // The usual day: a few communes busy at once (BUSY of them), the others idle; the same process.
      if (count > BUSY)
        targets.push({
          name: `communes${count}busy`,
          child,
          port,
          database: name,
          hosts: hosts.slice(0, BUSY),
          loads: { firstPages: [], pages: [], answers: [] },
          peak: 0,
        });
      described[`communes${count}`] = { communes: count, setupSeconds, startMs, settleMs, rssIdleMiB, warmUpMs };
    }
    await rounds(targets, roundCount, seconds, concurrency, admin);
    const byName = new Map(targets.map((t) => [t.name, t]));
    const single = byName.get("single")!;
    out.single = { ...described.single, rssMiB: rssMiB(single.child.pid!), ...figures(single) };
    console.log("single commune", out.single);
    for (const count of counts) {
      const t = byName.get(`communes${count}`)!;
      const busy = byName.get(`communes${count}busy`);
      out[`communes${count}`] = { ...described[`communes${count}`], rssMiB: rssMiB(t.child.pid!), ...figures(t), busy: busy ? figures(busy) : null };
      console.log(`${count} communes`, out[`communes${count}`]);
    }
    const ratio = (a: Load, b: Load) => +(a.perSecond / b.perSecond).toFixed(2);
    // How many requests the same CPU serves, against one commune: the one commune's CPU per request over this one's.
    const cpuRatio = (a: number | null, b: number | null) => (a && b ? +(b / a).toFixed(2) : null);
    out.ratios = Object.fromEntries(
      counts.map((count) => {
        const t = figures(byName.get(`communes${count}`)!);
        const b = byName.get(`communes${count}busy`);
        const busy = b ? figures(b) : null;
        const s = figures(single);
        return [
          `communes${count}`,
          {
            pages: ratio(t.pages, s.pages),
            answers: ratio(t.answers, s.answers),
            ...(busy ? { busyPages: ratio(busy.pages, s.pages), busyAnswers: ratio(busy.answers, s.answers) } : {}),
            cpu: {
              pages: cpuRatio(t.cpuMs.pages, s.cpuMs.pages),
              answers: cpuRatio(t.cpuMs.answers, s.cpuMs.answers),
              serverPages: cpuRatio(t.cpuMs.serverPages, s.cpuMs.serverPages),
              serverAnswers: cpuRatio(t.cpuMs.serverAnswers, s.cpuMs.serverAnswers),
              ...(busy ? { busyPages: cpuRatio(busy.cpuMs.pages, s.cpuMs.pages), busyAnswers: cpuRatio(busy.cpuMs.answers, s.cpuMs.answers) } : {}),
            },
          },
        ];
      }),
    );
    console.log("ratios against one commune", out.ratios);
  } finally {
    for (const child of running) {
      child.kill("SIGCONT");
      await stop(child);
    }
    for (const name of made) await admin.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await admin.end();
    agent.destroy();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const counts = (process.env.BENCH_COMMUNES ?? "1,500").split(",").map(Number).filter(Boolean);
  const result = await benchCommunes(process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", {
    counts,
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    rounds: Number(process.env.BENCH_COMMUNES_ROUNDS ?? 3),
  });
  console.log(JSON.stringify(result, null, 2));
}
