/**
 * Topology test: Quorum as docs/deploy.md deploys it — nginx (Debian's package) with TLS in
 * front of two Quorum processes on one PostgreSQL database — run on this machine and checked
 * under a load of answers through nginx (run by .ci/run after the fault tests;
 * `npm run test:topology` by hand):
 *  0. nginx runs on deploy/nginx/quorum.conf itself, only the values it marks "(test: …)"
 *     replaced; plain HTTP leads to the public address; an unknown Host gets 421.
 *  1. Rate limits count the client nginx saw, not nginx and not what the client claims: one
 *     client sending a different forged X-Forwarded-For each time is still one client; another
 *     client behind the same nginx is not limited with it; a client reaching a process without
 *     nginx cannot choose its address either (QUORUM_TRUST_PROXY names nginx's address only).
 *  2. One process killed with SIGKILL under load, started again, then the other one restarted
 *     with SIGTERM as a release change does it: every acknowledged answer is in the database
 *     exactly once, no request fails, the stopped process exits 0, both take answers again.
 *  3. A consultation closed through nginx under load: both processes refuse answers at once,
 *     and both show it closed on their pages within the documented time.
 * Every process, file and database is the test's own (a temporary directory, a database made
 * and dropped); traffic stays on the loopback interface. Prints a report; exits 1 on a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { FRESH_MS } from "../../app/domain/consultations/cache.server";
import { PAGE_TTL_MS } from "../../app/page-cache/page-cache.server";

const ADMIN_URL = process.env.TOPOLOGY_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const FIRST_PORT = Number(process.env.TOPOLOGY_PORT ?? 3510);
const PORTS = [FIRST_PORT, FIRST_PORT + 1] as const;
const TLS_PORT = Number(process.env.TOPOLOGY_TLS_PORT ?? 3543);
const HTTP_PORT = TLS_PORT - 1;
const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";
const PUBLIC_HOST = `localhost:${TLS_PORT}`;
const ORIGIN = `https://${PUBLIC_HOST}`;
/** nginx reaches Quorum from this address; the processes trust X-Forwarded-For from it alone. */
const NGINX_ADDRESS = "127.0.0.1";
/** Two clients of nginx, on other loopback addresses (Linux answers on all of 127.0.0.0/8). */
const CLIENT_X = "127.0.0.2";
const CLIENT_Y = "127.0.0.3";
const SLUG = "capteurs-place-du-marche";
const SITE_FILE = "deploy/nginx/quorum.conf";
const UNIT_FILE = "deploy/quorum@.service";
const LOAD_CLIENTS = 16;
/**
 * How long a change made through one process may take to show on the other's pages (docs/deploy.md):
 * a render may use a consultation read up to FRESH_MS before, and its page is kept PAGE_TTL_MS.
 */
const CONVERGENCE_MS = FRESH_MS + PAGE_TTL_MS;

let passed = 0;
let failed = 0;
const figures: string[] = [];

function check(name: string, ok: boolean, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- HTTP

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Target {
  /** nginx (TLS, the public address) or one process directly (plain HTTP on its port). */
  via: "nginx" | number;
  agent?: http.Agent;
  localAddress?: string;
  /** The address connected to (127.0.0.1 unless said). */
  host?: string;
}

let ca = "";

function send(
  target: Target,
  method: string,
  pathname: string,
  { body, headers = {} }: { body?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const common = {
      host: target.host ?? "127.0.0.1",
      method,
      path: pathname,
      agent: target.agent,
      localAddress: target.localAddress,
      timeout: 20_000,
      headers: {
        // A process reached directly is asked as nginx asks it: for the public host.
        Host: PUBLIC_HOST,
        ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) } : {}),
        ...headers,
      },
    };
    const req =
      target.via === "nginx" ? https.request({ ...common, port: TLS_PORT, servername: "localhost", ca }) : http.request({ ...common, port: target.via });
    req.on("response", (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (data += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { name: "TimeoutError" })));
    req.on("error", reject);
    req.end(body);
  });
}

function answerBody(submissionId: string): string {
  return new URLSearchParams([
    ["submission_id", submissionId],
    ["q.support", "4"],
    ["q.measures", "air"],
    ["q.retention", "30d"],
    ["q.comments", "Réponse du test de topologie"],
  ]).toString();
}

function postAnswer(target: Target, headers: Record<string, string> = {}): Promise<Reply> {
  return send(target, "POST", `/fr/consultations/${SLUG}`, { body: answerBody(crypto.randomUUID()), headers: { Origin: ORIGIN, ...headers } });
}

/** The receipt code an acknowledgement leads to (the thank-you address's last segment), or null. */
function receiptOf(reply: Reply): string | null {
  const location = reply.headers.location;
  if (reply.status !== 303 || !location) return null;
  const match = /\/thanks\/([^/#?]+)/.exec(new URL(location, ORIGIN).pathname);
  return match ? decodeURIComponent(match[1]) : null;
}

// ---------------------------------------------------------------- processes

const children = new Set<ChildProcess>();

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(command, args, { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once("exit", (code) => r(code))));

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await probe()) return true;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  return false;
}

const healthy = (port: number) => waitFor(async () => (await send({ via: port }, "GET", "/healthz")).status === 200, 60_000);

interface Settings {
  databaseUrl: string;
  dataDir: string;
  codeSecret: string;
}

/**
 * How deploy/quorum@.service starts instance `port`: its ExecStart with %i replaced (through
 * /usr/bin/env, which sets PORT), and its Environment= settings, in this checkout rather than
 * /opt/quorum and with the test's data directory rather than /var/lib/quorum.
 */
function unitCommand(port: number): { command: string; args: string[]; env: Record<string, string> } {
  const unit = readFileSync(UNIT_FILE, "utf8").split("\n");
  const starts = unit.filter((line) => line.startsWith("ExecStart="));
  if (starts.length !== 1) throw new Error(`${UNIT_FILE}: expected one ExecStart=, found ${starts.length}`);
  const [command, ...args] = starts[0].slice("ExecStart=".length).replaceAll("%i", String(port)).trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (const line of unit.filter((l) => l.startsWith("Environment="))) {
    for (const pair of line.slice("Environment=".length).trim().split(/\s+/)) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  if (env.NODE_ENV !== "production") throw new Error(`${UNIT_FILE}: NODE_ENV=production expected`);
  return { command, args, env };
}

function startQuorum(port: number, settings: Settings, submissionsPer10Min: number): ChildProcess {
  const unit = unitCommand(port);
  const child = spawn(unit.command, unit.args, {
    env: {
      ...process.env,
      ...unit.env,
      // What /etc/quorum/quorum.env holds (docs/deploy.md), for this run:
      DATABASE_URL: settings.databaseUrl,
      QUORUM_ORIGIN: ORIGIN,
      QUORUM_TRUST_PROXY: NGINX_ADDRESS,
      QUORUM_CODE_SECRET: settings.codeSecret,
      QUORUM_DATA_DIR: settings.dataDir,
      // The run answers the demo consultation; on PostgreSQL it is seeded only when asked.
      QUORUM_SEED_DEMO: "true",
      QUORUM_LOG_LEVEL: "warn",
      QUORUM_SUBMISSIONS_PER_10_MIN: String(submissionsPer10Min),
      // Left to their production defaults (the Secure cookie and HSTS behind TLS).
      QUORUM_ALLOWED_HOSTS: undefined,
      QUORUM_COOKIE_SECURE: undefined,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function stopQuorum(child: ChildProcess): Promise<number | null> {
  child.kill("SIGTERM");
  return exited(child);
}

/**
 * nginx's configuration: the shipped site file with its marked values replaced (each must be
 * found exactly as written, so the test fails when the file changes under it), inside a main
 * context that keeps pid, logs and temporary files in `dir`.
 */
function nginxConfig(site: string, dir: string): string {
  const replacements: [string, string][] = [
    ["server 127.0.0.1:3001 ", `server 127.0.0.1:${PORTS[0]} `],
    ["server 127.0.0.1:3002 ", `server 127.0.0.1:${PORTS[1]} `],
    ["listen 443 ssl default_server;", `listen 127.0.0.1:${TLS_PORT} ssl default_server;`],
    ["listen [::]:443 ssl default_server;", ""],
    ["listen 80 default_server;", `listen 127.0.0.1:${HTTP_PORT} default_server;`],
    ["listen [::]:80 default_server;", ""],
    ["root /var/www/letsencrypt;", `root ${dir}/acme;`],
    ["return 301 https://consult.example.org$request_uri;", `return 301 ${ORIGIN}$request_uri;`],
    ["listen 443 ssl http2;", `listen 127.0.0.1:${TLS_PORT} ssl http2;`],
    ["listen [::]:443 ssl http2;", ""],
    ["server_name consult.example.org;", "server_name localhost;"],
    ["ssl_certificate /etc/letsencrypt/live/consult.example.org/fullchain.pem;", `ssl_certificate ${dir}/cert.pem;`],
    ["ssl_certificate_key /etc/letsencrypt/live/consult.example.org/privkey.pem;", `ssl_certificate_key ${dir}/key.pem;`],
  ];
  let text = site;
  for (const [from, to] of replacements) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${SITE_FILE}: expected "${from}" once, found it ${count} times; update tests/topology/run.ts with the file`);
    text = text.replace(from, to);
  }
  // Anything else naming the production host, its certificates, its ports or IPv6 would be run as it is: said instead.
  const rest = text.split("\n").filter((line) => !line.trim().startsWith("#") && /example\.org|letsencrypt|:300\d\b|listen (443|80)\b|\[::\]/.test(line));
  if (rest.length) throw new Error(`${SITE_FILE}: lines the test does not know how to run here: ${rest.map((l) => l.trim()).join(" | ")}`);
  const root = process.getuid?.() === 0;
  return [
    "# Made by tests/topology/run.ts from deploy/nginx/quorum.conf.",
    "daemon off;",
    "worker_processes 1;",
    // As root, workers run as Debian's nginx user (the temporary directory is readable by it).
    root ? "user www-data www-data;" : "",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    "events { worker_connections 1024; }",
    "http {",
    // Which processes each request went to, and what each answered ("a, b" when sent again).
    `  log_format topology '$request_method $uri $status "$upstream_addr" "$upstream_status"';`,
    `  access_log ${dir}/access.log topology;`,
    `  client_body_temp_path ${dir}/client_body;`,
    `  proxy_temp_path ${dir}/proxy;`,
    `  fastcgi_temp_path ${dir}/fastcgi;`,
    `  uwsgi_temp_path ${dir}/uwsgi;`,
    `  scgi_temp_path ${dir}/scgi;`,
    "  default_type application/octet-stream;",
    text,
    "}",
    "",
  ].join("\n");
}

// ---------------------------------------------------------------- load

interface Attempt {
  started: number;
  ended: number;
  status: number | string;
  receipt: string | null;
}

/** `clients` loops answering through nginx until stopped; every attempt is recorded. */
function load(clients: number) {
  const attempts: Attempt[] = [];
  let running = true;
  const agents = Array.from({ length: clients }, () => new https.Agent({ keepAlive: true, maxSockets: 1, ca }));
  const loops = agents.map(async (agent) => {
    while (running) {
      const started = performance.now();
      try {
        const reply = await postAnswer({ via: "nginx", agent });
        attempts.push({ started, ended: performance.now(), status: reply.status, receipt: receiptOf(reply) });
        if (reply.status >= 500) await sleep(50);
      } catch (error) {
        attempts.push({ started, ended: performance.now(), status: (error as Error).name, receipt: null });
        await sleep(50);
      }
    }
  });
  return {
    attempts,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      for (const agent of agents) agent.destroy();
      return attempts;
    },
  };
}

const tally = (attempts: Attempt[]) => {
  const counts = new Map<number | string, number>();
  for (const a of attempts) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return JSON.stringify(Object.fromEntries(counts));
};

/** How long nginx leaves a process it found down before trying it again (the site file's fail_timeout). */
function failTimeoutMs(): number {
  const values = [...readFileSync(SITE_FILE, "utf8").matchAll(/fail_timeout=(\d+)s/g)].map((m) => Number(m[1]) * 1000);
  if (!values.length) throw new Error(`${SITE_FILE}: no fail_timeout=…s on the upstream servers`);
  return Math.max(...values);
}

/** The answers nginx has sent to a second process so far: its log names two upstreams for them. */
function sentAgainSoFar(dir: string): string[] {
  return readFileSync(`${dir}/access.log`, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("POST ") && /"[^"]*, [^"]*"$/.test(line));
}

/** How many times each receipt is stored. */
async function storedCounts(sql: postgres.Sql, receipts: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < receipts.length; i += 5_000) {
    const rows =
      await sql`select receipt_code, count(*)::int as n from responses where receipt_code in ${sql(receipts.slice(i, i + 5_000))} group by receipt_code`;
    for (const row of rows) counts.set(row.receipt_code as string, row.n as number);
  }
  return counts;
}

// ---------------------------------------------------------------- the run

/** Whether a production build exists and is newer than every source it is made from. */
function builtAfterSources(): boolean {
  const outputs = ["build/index.js", "build/critical-css.json", "build/server/index.js", "public/sw.js"];
  if (!outputs.every((f) => existsSync(f))) return false;
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const sources = ["app", "server", "db", "locales"].flatMap((d) => readdirSync(d, { recursive: true, encoding: "utf8" }).map((f) => path.join(d, f)));
  return [...sources, "package-lock.json", "remix.config.js"].every((f) => statSync(f).mtimeMs <= built);
}

async function main() {
  if (!builtAfterSources()) {
    console.log("building (npm run build): no production build, or sources changed since");
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) throw new Error("npm run build failed");
  }

  const dir = mkdtempSync(path.join(tmpdir(), "quorum-topology-"));
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, "data");
  mkdirSync(dataDir);
  const name = `quorum_topo_${Date.now()}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const settings: Settings = { databaseUrl: url.toString(), dataDir, codeSecret: randomBytes(24).toString("base64url") };
  const sql = postgres(settings.databaseUrl, { max: 2, onnotice: () => {} });
  let nginx: ChildProcess | undefined;
  const quorum: (ChildProcess | undefined)[] = [undefined, undefined];

  try {
    // A certificate for `localhost`, made for this run; the clients trust it and nothing else.
    run("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`, "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
    ]); // prettier-ignore
    ca = readFileSync(`${dir}/cert.pem`, "utf8");
    writeFileSync(`${dir}/nginx.conf`, nginxConfig(readFileSync(SITE_FILE, "utf8"), dir));
    run(NGINX, ["-t", "-q", "-p", dir, "-e", `${dir}/error.log`, "-c", `${dir}/nginx.conf`]);
    check("nginx accepts the configuration made from deploy/nginx/quorum.conf", true);
    if (spawnSync("which", ["systemd-analyze"]).status === 0) {
      // verify reads an instance of the template from a directory holding the file.
      mkdirSync(`${dir}/units`);
      writeFileSync(`${dir}/units/quorum@.service`, readFileSync(UNIT_FILE));
      symlinkSync("quorum@.service", `${dir}/units/quorum@${PORTS[0]}.service`);
      const verify = spawnSync("systemd-analyze", ["verify", "--man=no", `${dir}/units/quorum@${PORTS[0]}.service`], { encoding: "utf8" });
      const said = `${verify.stdout}${verify.stderr}`.trim();
      check(
        "systemd-analyze verify finds nothing wrong in deploy/quorum@.service",
        verify.status === 0 && said === "",
        said.split("\n").slice(0, 3).join(" | "),
      );
    } else {
      console.log("skip systemd-analyze is not installed: deploy/quorum@.service not verified");
    }

    // ------------------------------------------------------------ 1. rate limits, 3 answers per client
    const LIMIT = 3;
    quorum[0] = startQuorum(PORTS[0], settings, LIMIT);
    check("the first process starts and migrates the database", await healthy(PORTS[0]));
    quorum[1] = startQuorum(PORTS[1], settings, LIMIT);
    check("the second process starts on the same database", await healthy(PORTS[1]));
    // The unit makes the processes listen on 127.0.0.1 only: another address of the machine is refused.
    const elsewhere = await send({ via: PORTS[0], host: CLIENT_X }, "GET", "/healthz").then(
      (r) => String(r.status),
      (error: NodeJS.ErrnoException) => error.code ?? error.name,
    );
    check("a process is not reached on another address than the one it listens on", elsewhere === "ECONNREFUSED", elsewhere);
    nginx = spawn(NGINX, ["-p", dir, "-e", `${dir}/error.log`, "-c", `${dir}/nginx.conf`], { stdio: ["ignore", "ignore", "inherit"] });
    children.add(nginx);
    const up = await waitFor(async () => (await send({ via: "nginx" }, "GET", "/healthz")).status === 200, 10_000);
    check("nginx serves Quorum over TLS", up);

    const page = await send({ via: "nginx" }, "GET", `/fr/consultations/${SLUG}`);
    check(
      "a resident page through nginx is Quorum's, with HSTS (production behind TLS)",
      page.status === 200 && page.body.includes('name="submission_id"') && /max-age=\d+/.test(String(page.headers["strict-transport-security"])),
      `${page.status}, Strict-Transport-Security: ${page.headers["strict-transport-security"]}`,
    );
    const plain = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({ host: "127.0.0.1", port: HTTP_PORT, path: "/fr?x=1", headers: { Host: "evil.example" } }, resolve).on("error", reject),
    );
    plain.resume();
    check(
      "plain HTTP leads to the public address, whatever Host it names",
      plain.statusCode === 301 && plain.headers.location === `${ORIGIN}/fr?x=1`,
      `${plain.statusCode} → ${plain.headers.location}`,
    );
    mkdirSync(`${dir}/acme/.well-known/acme-challenge`, { recursive: true });
    writeFileSync(`${dir}/acme/.well-known/acme-challenge/token-1`, "token-1.key");
    const challenge = await new Promise<{ status?: number; body: string }>((resolve, reject) =>
      http
        .get({ host: "127.0.0.1", port: HTTP_PORT, path: "/.well-known/acme-challenge/token-1", headers: { Host: "localhost" } }, (res) => {
          let body = "";
          res.on("data", (d) => (body += d));
          res.on("end", () => resolve({ status: res.statusCode, body }));
        })
        .on("error", reject),
    );
    check(
      "a certificate renewal's HTTP challenge is served on plain HTTP",
      challenge.status === 200 && challenge.body === "token-1.key",
      String(challenge.status),
    );
    const handshake = await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: "127.0.0.1", port: TLS_PORT, servername: "evil.example", ca }, () => {
        socket.destroy();
        resolve("completed");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    check("a TLS client naming a host nginx does not serve is refused in the handshake", handshake !== "completed", handshake);
    const foreign = await send({ via: "nginx" }, "GET", "/fr", { headers: { Host: "evil.example" } });
    check("a request through nginx naming a host it does not serve gets 421", foreign.status === 421, String(foreign.status));

    const x = { via: "nginx" as const, agent: new https.Agent({ keepAlive: true, maxSockets: 1, ca, localAddress: CLIENT_X }) };
    const y = { via: "nginx" as const, agent: new https.Agent({ keepAlive: true, maxSockets: 1, ca, localAddress: CLIENT_Y }) };
    // Client X claims a new address with every answer; each process adds its counts to
    // PostgreSQL once a second, so the answers are spaced to let the other process see them.
    const xStatuses: number[] = [];
    for (let i = 1; i <= LIMIT + 4 && !xStatuses.includes(429); i++) {
      xStatuses.push((await postAnswer(x, { "X-Forwarded-For": `198.51.100.${i}` })).status);
      await sleep(1_200);
    }
    const xAccepted = xStatuses.filter((s) => s === 303).length;
    check(
      "a client forging a different X-Forwarded-For on each answer is one client: limited after the limit",
      xStatuses.includes(429) && xAccepted >= LIMIT && xAccepted <= LIMIT + 1,
      `statuses ${xStatuses.join(", ")} (limit ${LIMIT}; counts are shared once a second, so one more may pass)`,
    );
    const xAgain = await postAnswer(x, { "X-Forwarded-For": "203.0.113.9" });
    check("…and stays limited on whichever process nginx picks", xAgain.status === 429 && Number(xAgain.headers["retry-after"]) > 0, String(xAgain.status));
    // Client Y, behind the same nginx, even claiming to be X: not limited, so the key is not nginx's address.
    const yStatuses = [(await postAnswer(y, { "X-Forwarded-For": CLIENT_X })).status, (await postAnswer(y)).status];
    check(
      "another client behind the same nginx is not limited with it (the key is not nginx's address, nor a forged one)",
      yStatuses.every((s) => s === 303),
      yStatuses.join(", "),
    );
    // X without nginx, on a process's port: its forged header is not believed (only nginx's address is trusted).
    const direct = await postAnswer({ via: PORTS[1], localAddress: CLIENT_X }, { "X-Forwarded-For": "198.51.100.200" });
    check("a client reaching a process directly cannot choose its address either", direct.status === 429, String(direct.status));
    x.agent.destroy();
    y.agent.destroy();
    const exits = await Promise.all(quorum.map((q) => stopQuorum(q!)));
    check(
      "SIGTERM stops both processes cleanly",
      exits.every((code) => code === 0),
      exits.join(", "),
    );

    // ------------------------------------------------------------ 2. SIGKILL under load
    quorum[0] = startQuorum(PORTS[0], settings, 1_000_000);
    quorum[1] = startQuorum(PORTS[1], settings, 1_000_000);
    check("both processes start again", (await healthy(PORTS[0])) && (await healthy(PORTS[1])));
    const run2 = load(LOAD_CLIENTS);
    const t0 = performance.now();
    await sleep(4_000);
    const killAt = performance.now();
    quorum[0]!.kill("SIGKILL");
    await exited(quorum[0]!);
    await sleep(4_000);
    const restartAt = performance.now();
    quorum[0] = startQuorum(PORTS[0], settings, 1_000_000);
    const back = await healthy(PORTS[0]);
    // nginx tries a process it found down again only after fail_timeout: the other one is
    // restarted after that, as docs/deploy.md says (else nginx would have no process for a moment).
    await sleep(failTimeoutMs() + 1_000);
    const sentAgainAtKill = sentAgainSoFar(dir);
    // Then the other process restarted as docs/deploy.md changes a release: SIGTERM, start, healthy.
    const termAt = performance.now();
    quorum[1]!.kill("SIGTERM");
    const termExit = await exited(quorum[1]!);
    quorum[1] = startQuorum(PORTS[1], settings, 1_000_000);
    const backAgain = await healthy(PORTS[1]);
    await sleep(3_000);
    const attempts = await run2.stop();
    const loadSeconds = (performance.now() - t0) / 1000;
    check("the killed process starts again", back);
    check("the other process, sent SIGTERM under load, exits cleanly and starts again", termExit === 0 && backAgain, `exit ${termExit}`);

    const acknowledged = attempts.filter((a) => typeof a.status === "number" && a.status >= 200 && a.status < 400);
    const receipts = acknowledged.map((a) => a.receipt);
    check(
      "every acknowledgement is a 303 naming its receipt",
      acknowledged.every((a) => a.status === 303 && a.receipt),
      tally(attempts),
    );
    const named = receipts.filter((r): r is string => !!r);
    check("no two acknowledgements name the same receipt", new Set(named).size === named.length);
    const stored = await storedCounts(sql, named);
    const lost = named.filter((r) => !stored.has(r));
    const twice = [...stored.values()].filter((n) => n !== 1);
    check(
      "after SIGKILL under load, every acknowledged answer is in the database exactly once",
      named.length > 0 && lost.length === 0 && twice.length === 0,
      `${named.length} acknowledged, ${lost.length} lost, ${twice.length} stored more than once`,
    );
    const failures = attempts.filter((a) => !(typeof a.status === "number" && a.status >= 200 && a.status < 400));
    // nginx sends an answer whose process died under it to the other process (deploy/nginx/quorum.conf):
    // the submission id makes that safe, and no resident gets a 502.
    check("no answer failed, not even those in flight at the kill or the restart", failures.length === 0, `${failures.length} failed: ${tally(failures)}`);
    const whileDown = acknowledged.filter((a) => a.started > killAt + 1_000 && a.ended < restartAt).length;
    check("the other process takes the answers while the killed one is down", whileDown > 0, `${whileDown} acknowledged meanwhile`);
    const sentAgain = sentAgainSoFar(dir);
    const again = new Map<string, number>();
    for (const line of sentAgain) {
      const statuses = /"([^"]*)"$/.exec(line)![1];
      again.set(statuses, (again.get(statuses) ?? 0) + 1);
    }
    const afterRestart = await postAnswer({ via: PORTS[0] });
    check("the restarted process takes answers again", receiptOf(afterRestart) !== null, String(afterRestart.status));
    figures.push(
      `load: ${LOAD_CLIENTS} clients for ${loadSeconds.toFixed(1)} s through nginx; one process SIGKILLed at ${((killAt - t0) / 1000).toFixed(1)} s, started again at ${((restartAt - t0) / 1000).toFixed(1)} s; the other sent SIGTERM and started again at ${((termAt - t0) / 1000).toFixed(1)} s`,
      `answers acknowledged: ${named.length}; lost: ${lost.length}; stored twice: ${twice.length}; failed: ${failures.length}`,
      `answers nginx sent again to the other process: ${sentAgainAtKill.length} at the kill, ${sentAgain.length - sentAgainAtKill.length} at the SIGTERM restart (upstream statuses ${JSON.stringify(Object.fromEntries(again))})`,
    );

    // ------------------------------------------------------------ 3. closing under load
    const email = "topologie@example.org";
    const password = randomBytes(18).toString("base64url");
    run("npx", ["tsx", "scripts/staff-create.ts", "--email", email, "--role", "official"], {
      ...process.env,
      DATABASE_URL: settings.databaseUrl,
      QUORUM_PASSWORD: password,
      QUORUM_CODE_SECRET: settings.codeSecret,
      QUORUM_ORIGIN: ORIGIN,
    });
    const staff = { via: "nginx" as const, agent: new https.Agent({ keepAlive: true, maxSockets: 1, ca }) };
    const login = await send(staff, "POST", "/en/staff/login", { body: new URLSearchParams({ email, password }).toString(), headers: { Origin: ORIGIN } });
    const cookie = String(login.headers["set-cookie"]?.[0] ?? "").split(";")[0];
    check(
      "an official signs in through nginx (a Secure session cookie over TLS)",
      login.status === 302 && /;\s*Secure/i.test(String(login.headers["set-cookie"]?.[0])),
      String(login.status),
    );

    const formOn = async (port: number) => (await send({ via: port }, "GET", `/fr/consultations/${SLUG}`)).body.includes('name="submission_id"');
    const run3 = load(8);
    await sleep(2_000);
    const openOnBoth = (await formOn(PORTS[0])) && (await formOn(PORTS[1]));
    const close = await send(staff, "POST", `/en/staff/consultations/${SLUG}`, {
      body: new URLSearchParams({ intent: "close", confirmed: "yes" }).toString(),
      headers: { Origin: ORIGIN, Cookie: cookie },
    });
    const closedAt = performance.now();
    check(
      "the consultation is closed through nginx",
      close.status === 302 && String(close.headers.location).includes("done=close"),
      `${close.status} → ${close.headers.location}`,
    );
    const right = await Promise.all(PORTS.map((port) => postAnswer({ via: port })));
    check(
      "both processes refuse an answer at once (409, the closed message)",
      right.every((r) => r.status === 409 && r.body.includes("Cette consultation est terminée")),
      right.map((r) => r.status).join(", "),
    );
    // Each process's page: polled until it has no form any more.
    const shownClosed = await Promise.all(
      PORTS.map(async (port) => {
        while (performance.now() - closedAt < CONVERGENCE_MS + 3_000) {
          if (!(await formOn(port))) return Math.round(performance.now() - closedAt);
          await sleep(100);
        }
        return Infinity;
      }),
    );
    await sleep(500);
    const closing = await run3.stop();
    check(
      `both processes' pages show it closed within ${CONVERGENCE_MS} ms`,
      // Plus one render of the page under load and one poll (100 ms).
      openOnBoth && shownClosed.every((ms) => ms <= CONVERGENCE_MS + 750),
      `open on both before: ${openOnBoth}; closed on the pages after ${shownClosed.join(" ms and ")} ms`,
    );
    const lateAccepted = closing.filter((a) => a.started > closedAt && a.receipt);
    const late = closing.filter((a) => a.started > closedAt);
    check(
      "no answer sent through nginx after the close was acknowledged was accepted",
      late.length > 0 && lateAccepted.length === 0,
      `${late.length} sent after, ${lateAccepted.length} accepted; all: ${tally(closing)}`,
    );
    const closingReceipts = closing.map((a) => a.receipt).filter((r): r is string => !!r);
    const closingStored = await storedCounts(sql, closingReceipts);
    check(
      "answers acknowledged before the close are all stored",
      closingReceipts.every((r) => closingStored.get(r) === 1),
      `${closingStored.size}/${closingReceipts.length}`,
    );
    staff.agent.destroy();
    figures.push(
      `closing: ${closingReceipts.length} acknowledged before it, ${late.length} sent after it and ${lateAccepted.length} of them accepted; pages closed after ${shownClosed.join(" ms and ")} ms`,
    );

    const stopped = await Promise.all(quorum.map((q) => stopQuorum(q!)));
    check(
      "SIGTERM stops both processes cleanly at the end",
      stopped.every((code) => code === 0),
      stopped.join(", "),
    );
    nginx.kill("SIGQUIT");
    await exited(nginx);
    const errors = readFileSync(`${dir}/error.log`, "utf8")
      .split("\n")
      .filter((l) => /\[(emerg|alert|crit)\]/.test(l));
    check("nginx logged nothing worse than an error", errors.length === 0, errors.slice(0, 3).join(" | "));
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await sql.end({ timeout: 5 }).catch(() => {});
    const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await cleanup.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await cleanup.end();
    if (!process.env.TOPOLOGY_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

try {
  if (!existsSync(NGINX)) {
    console.log(`The topology test needs nginx at ${NGINX} (apt-get install nginx).`);
    process.exitCode = process.env.CI ? 1 : 0;
  } else {
    await main();
  }
} catch (error) {
  failed++;
  console.error("FAIL topology test stopped:", error);
}
if (figures.length) console.log(`\n${figures.join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : (process.exitCode ?? 0));
