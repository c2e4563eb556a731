/**
 * A commune leaving the installation (issue 26 item 2): `commune:export` then `commune:remove`,
 * through the real commands, on a PostgreSQL database of this file's own with two communes.
 *
 * The export is read back from the outside: a hand check of RFC 4180 (CRLF records, no bare line
 * break outside quotes), csv-parse in strict mode, every row count against a direct count in the
 * commune's rows, the digests and sizes recomputed, datapackage.json against the official Tabular
 * Data Package profile; no byte of the other commune, no password hash, no token.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { parse } from "csv-parse/sync";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "#db/client";
import { addCommune, openCommuneDatabase, readCommunes, type CommuneRow } from "#db/communes";
import { exportCommune, removeCommune } from "#db/communes-export";
import { invitations, notificationAddresses, outbox, passwordResets, sessions } from "#db/schema";
import { installationSecret } from "~/domain/ratelimit/ratelimit.server";
import { getConsultationBySlug } from "~/domain/consultations/queries.server";
import { createStaff } from "~/domain/staff/accounts.server";
import { databaseUrlFor } from "../helpers/db";
import { makeConsultation } from "../helpers/fixtures";
import { seedAnswers, type SentResponse } from "../helpers/seeded";

const base = process.env.DATABASE_URL;
const HOST_A = "saint-amand.export.test";
const HOST_B = "bourg-blanc.export.test";
const DAY = 24 * 3600 * 1000;

interface Side {
  commune: CommuneRow;
  database: Database;
  sent: SentResponse[];
  email: string;
  slug: string;
  consultationId: string;
}

describe.skipIf(!base)("commune:export and commune:remove (PostgreSQL only: set DATABASE_URL)", () => {
  const name = `quorum_export_t${process.pid}_${randomBytes(3).toString("hex")}`;
  const url = base ? databaseUrlFor(base, name) : "";
  const env = { ...process.env, DATABASE_URL: url, QUORUM_COMMUNES: "many" };
  const work = mkdtempSync(path.join(tmpdir(), "quorum-export-"));
  const out = path.join(work, "saint-amand");
  let sql: postgres.Sql;
  let a: Side;
  let b: Side;
  /** What must never leave: secrets of A, and everything naming B. */
  const secrets: Record<string, string> = {};
  const cli = (...args: string[]) => {
    const r = spawnSync("npx", ["tsx", "scripts/commune.ts", ...args], { env, encoding: "utf8", timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  async function side(host: string, nameFr: string, email: string, seed: number): Promise<Side> {
    const added = await addCommune(url, { hosts: [host], nameFr, nameEn: nameFr });
    if (!added.ok) throw new Error("fixture");
    const database = await openCommuneDatabase(url, added.commune.id, 2);
    const staff = await createStaff(database.db, { email, password: `${nameFr}, a long password`, role: "admin" });
    if (!staff.ok) throw new Error("fixture");
    const c = await makeConsultation(database.db, { slug: `avis-${seed}-${host.split(".")[0]}`, opensAt: new Date(Date.now() - 10 * DAY) });
    const sent = await seedAnswers(database.db, c, { count: 14, seed, moderatorId: staff.user.id, hideShare: 0.2 });
    return { commune: added.commune, database, sent, email, slug: c.slug, consultationId: c.id };
  }

  beforeAll(async () => {
    const admin = postgres(base!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    sql = postgres(url, { max: 1, onnotice: () => {} });
    a = await side(HOST_A, "Saint-Amand-des-Prés", "maire@saint-amand.test", 11);
    b = await side(HOST_B, "Bourg-Blanc-sur-Lande", "maire@bourg-blanc.test", 12);

    // A's secrets, and residents' addresses that must stay behind.
    const db = a.database.db;
    const [user] = await sql`select id, password_hash from users where commune_id = ${a.commune.id}`;
    secrets.passwordHash = String(user.password_hash);
    secrets.session = `session-${randomBytes(12).toString("hex")}`;
    secrets.invitation = `invitation-${randomBytes(12).toString("hex")}`;
    secrets.reset = `reset-${randomBytes(12).toString("hex")}`;
    secrets.noticeToken = `notice-${randomBytes(12).toString("hex")}`;
    secrets.pendingToken = `pending-${randomBytes(12).toString("hex")}`;
    secrets.mailToken = `link-${randomBytes(12).toString("hex")}`;
    secrets.resident = "habitante@courriel.test";
    secrets.unconfirmed = "pas-encore@courriel.test";
    await db.insert(sessions).values({ id: secrets.session, userId: String(user.id), expiresAt: new Date(Date.now() + DAY) });
    await db
      .insert(invitations)
      .values({ tokenHash: secrets.invitation, email: "invitee@saint-amand.test", role: "official", expiresAt: new Date(Date.now() + DAY) });
    await db.insert(passwordResets).values({ email: a.email, tokenHash: secrets.reset, expiresAt: new Date(Date.now() + DAY) });
    await db.insert(notificationAddresses).values([
      {
        consultationId: a.consultationId,
        email: "confirmee@courriel.test",
        lang: "fr",
        tokenHash: secrets.noticeToken,
        askedOn: "2026-12-01",
        confirmedOn: "2026-12-01",
      },
      { consultationId: a.consultationId, email: secrets.unconfirmed, lang: "en", tokenHash: secrets.pendingToken, askedOn: "2026-12-05" },
    ]);
    await db.insert(outbox).values({
      kind: "notify.confirm",
      recipient: secrets.resident,
      lang: "fr",
      subject: "Confirmez votre adresse",
      textBody: `https://${HOST_A}/fr/avis/${secrets.mailToken}`,
      htmlBody: `<a href="https://${HOST_A}/fr/avis/${secrets.mailToken}">lien</a>`,
      headers: { "List-Unsubscribe": `<https://${HOST_A}/fr/avis/${secrets.mailToken}/stop>` },
      messageId: "<confirm-1@saint-amand.export.test>",
    });
    secrets.installation = await installationSecret(db);
    await installationSecret(b.database.db);
  }, 180_000);

  afterAll(async () => {
    await a?.database.close();
    await b?.database.close();
    await sql?.end();
    rmSync(work, { recursive: true, force: true });
    if (!base) return;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });

  /** A commune's rows in every one of Quorum's tables, counted directly. */
  async function counts(id: number): Promise<Record<string, number>> {
    const tables = await sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    const result: Record<string, number> = {};
    for (const t of tables) {
      const [{ n }] = await sql.unsafe(`select count(*)::int as n from public."${t.table_name}" where commune_id = $1`, [id]);
      result[String(t.table_name)] = n;
    }
    return result;
  }

  /** RFC 4180 by hand: every record ends in CRLF; outside quotes no CR or LF stands alone and quotes only open a field. */
  function rfc4180Problems(text: string): string | null {
    if (!text.endsWith("\r\n")) return "does not end with CRLF";
    let quoted = false;
    let fieldStart = true;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') i++;
          else {
            quoted = false;
            const next = text[i + 1];
            if (next !== "," && next !== "\r") return `a quote closes a field before ${JSON.stringify(next)} at ${i}`;
          }
        }
        continue;
      }
      if (ch === '"') {
        if (!fieldStart) return `a quote inside an unquoted field at ${i}`;
        quoted = true;
        fieldStart = false;
      } else if (ch === ",") fieldStart = true;
      else if (ch === "\r") {
        if (text[i + 1] !== "\n") return `a CR alone at ${i}`;
        i++;
        fieldStart = true;
      } else if (ch === "\n") return `an LF alone at ${i}`;
      else fieldStart = false;
    }
    return quoted ? "a quote left open" : null;
  }

  it("writes every table A may take with it, read at one instant, and nothing of B, no password hash, no token", async () => {
    const before = await counts(a.commune.id);
    const r = cli("export", "--host", HOST_A, "--out", out);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);

    const files = readdirSync(out).sort();
    const descriptor = JSON.parse(readFileSync(path.join(out, "datapackage.json"), "utf8"));
    expect(files).toEqual([...descriptor.resources.map((x: { path: string }) => x.path), "datapackage.json"].sort());

    // The official Tabular Data Package profile (draft-04), unchanged.
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addFormat("textarea", true);
    const validate = ajv.compile(JSON.parse(readFileSync(path.resolve(__dirname, "../fixtures/frictionless/tabular-data-package.json"), "utf8")));
    expect(validate(descriptor), ajv.errorsText(validate.errors)).toBe(true);

    // Each of Quorum's tables is exported or named as left behind, with a reason.
    const left = descriptor.quorum.leftOut.map((x: { table: string }) => x.table).sort();
    expect(left).toEqual(["invitations", "meta", "password_resets", "rate_limits", "sessions", "sms_conversations", "sms_messages", "sms_phone_answers"]);
    const tableResources = descriptor.resources
      .map((x: { name: string }) => x.name)
      .filter((n: string) => !n.startsWith("registry_") && n !== "__quorum_migrations");
    expect([...tableResources, ...left].sort()).toEqual(Object.keys(before).sort());

    const [{ n: eventsBefore }] = await sql`select count(*)::int as n from quorum_registry.events where commune_id = ${a.commune.id} and action <> 'exported'`;
    const [{ n: migrations }] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    const expected: Record<string, number> = {
      ...before,
      __quorum_migrations: migrations,
      notification_addresses: 1, // the confirmed address only
      registry_commune: 1,
      registry_events: eventsBefore,
    };
    const typeChecks: Record<string, (v: string) => boolean> = {
      integer: (v) => /^-?\d+$/.test(v),
      number: (v) => /^-?\d+(\.\d+)?$/.test(v),
      boolean: (v) => v === "true" || v === "false",
      datetime: (v) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
      date: (v) => /^\d{4}-\d\d-\d\d$/.test(v),
      object: (v) => JSON.parse(v) !== null && typeof JSON.parse(v) === "object" && !Array.isArray(JSON.parse(v)),
      array: (v) => Array.isArray(JSON.parse(v)),
      any: (v) => JSON.parse(v) !== undefined,
      string: () => true,
    };
    const texts = new Map<string, string>();
    let totalRows = 0;
    for (const resource of descriptor.resources) {
      const bytes = readFileSync(path.join(out, resource.path));
      expect(bytes.length, resource.path).toBe(resource.bytes);
      expect(resource.hash, resource.path).toBe(`sha256:${createHash("sha256").update(bytes).digest("hex")}`);
      const text = bytes.toString("utf8");
      expect(Buffer.from(text, "utf8").equals(bytes), `${resource.path} is UTF-8`).toBe(true);
      expect(rfc4180Problems(text), resource.path).toBeNull();
      texts.set(resource.path, text);
      const rows: string[][] = parse(text, { record_delimiter: "\r\n", relax_column_count: false, relax_quotes: false, skip_empty_lines: false, bom: false });
      const names = resource.schema.fields.map((f: { name: string }) => f.name);
      expect(rows[0], resource.path).toEqual(names);
      expect(rows.length - 1, `rows of ${resource.name}`).toBe(expected[resource.name]);
      totalRows += rows.length - 1;
      for (const row of rows.slice(1))
        resource.schema.fields.forEach((f: { name: string; type: string; format?: string }, i: number) => {
          if (row[i] === "") return;
          expect(typeChecks[f.type](row[i]), `${resource.name}.${f.name} = ${row[i]} as ${f.type}`).toBe(true);
          if (f.format === "uuid") expect(row[i]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        });
    }
    expect(totalRows).toBeGreaterThan(100);
    const field = (resource: string, column: string) =>
      descriptor.resources.find((x: { name: string }) => x.name === resource).schema.fields.find((f: { name: string }) => f.name === column);
    expect(field("responses", "received_at").type).toBe("datetime");
    expect(field("answers", "option_ids").type).toBe("array");
    expect(field("answers", "id").type).toBe("integer");
    expect(field("questions", "texts").type).toBe("object");
    expect(field("reference_shares", "percent").type).toBe("number");
    expect(field("responses", "paper_received_on").type).toBe("date");
    expect(field("registry_commune", "hosts").type).toBe("array");
    // The registry's events are JSON objects (not JSON strings holding one).
    expect(field("registry_events", "detail").type).toBe("object");

    // The answers as stored, to the character: the free texts (accents, emoji, line breaks, quotes, `=1+1`) and receipts.
    const parsed = (file: string) => parse(texts.get(file)!, { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];
    const storedTexts = (await sql`select text from answers where commune_id = ${a.commune.id} and text is not null order by text`).map((x) => x.text);
    expect(storedTexts.length).toBeGreaterThan(5);
    expect(
      parsed("answers.csv")
        .map((x) => x.text)
        .filter((t) => t !== "")
        .sort((p, q) => (p < q ? -1 : p > q ? 1 : 0)),
    ).toEqual([...storedTexts].sort((p, q) => (p < q ? -1 : p > q ? 1 : 0)));
    expect(new Set(parsed("responses.csv").map((x) => x.receipt_code))).toEqual(new Set(a.sent.map((s) => s.receiptCode)));
    expect(parsed("users.csv").map((x) => x.email)).toEqual([a.email]);
    expect(parsed("notification_addresses.csv").map((x) => x.email)).toEqual(["confirmee@courriel.test"]);
    expect(parsed("outbox.csv").map((x) => x.subject)).toEqual(["Confirmez votre adresse"]);
    expect(parsed("registry_commune.csv")).toEqual([
      expect.objectContaining({ id: String(a.commune.id), hosts: JSON.stringify([HOST_A]), name_fr: "Saint-Amand-des-Prés", status: "active" }),
    ]);

    // Nothing of B, no secret of A, in any file (datapackage.json included).
    const everything = files.map((f) => readFileSync(path.join(out, f), "utf8")).join("\n");
    const forbidden = [
      HOST_B,
      b.email,
      b.slug,
      b.consultationId,
      "Bourg-Blanc",
      ...b.sent.map((s) => s.receiptCode),
      ...b.sent.map((s) => s.submissionId),
      ...Object.values(secrets),
      "$argon2",
    ];
    for (const value of forbidden) expect(everything.includes(value), `the export holds ${value}`).toBe(false);
    expect(texts.get("users.csv")!.split("\r\n")[0]).not.toContain("password");
    // And what must be there is there: A's own host, consultation and receipts.
    for (const value of [HOST_A, a.slug, a.consultationId, a.sent[0].receiptCode]) expect(everything).toContain(value);

    // The export is recorded: the directory's name and the number of files.
    const [event] = await sql`select detail from quorum_registry.events where commune_id = ${a.commune.id} and action = 'exported'`;
    expect(event.detail).toMatchObject({ dir: "saint-amand", files: files.length, host: HOST_A });
    expect(event.detail.datapackage).toBe(
      `sha256:${createHash("sha256")
        .update(readFileSync(path.join(out, "datapackage.json")))
        .digest("hex")}`,
    );
  });

  it("reads every table at one instant: answers arriving during the export are all in it or all out, and every key resolves", async () => {
    const c = (await getConsultationBySlug(a.database.db, a.slug))!;
    const dir = path.join(work, "pendant");
    let exported = false;
    let rounds = 0;
    // Residents keep answering while the export runs; it starts once some answers have gone in, and
    // they go on until it has ended, so some arrive after its snapshot.
    const arriving = (async () => {
      for (; !exported && rounds < 500; rounds++) await seedAnswers(a.database.db, c, { count: 2, seed: 100 + rounds, moderatorId: "x", hideShare: 0 });
    })();
    while (rounds < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await exportCommune(url, HOST_A, dir);
    exported = true;
    await arriving;
    expect(result.ok).toBe(true);

    const descriptor = JSON.parse(readFileSync(path.join(dir, "datapackage.json"), "utf8"));
    const tables = new Map<string, Record<string, string>[]>();
    for (const r of descriptor.resources) tables.set(r.name, parse(readFileSync(path.join(dir, r.path), "utf8"), { columns: true, record_delimiter: "\r\n" }));
    // Every seeded response has answers: the responses exported are exactly those the answers name.
    const responseIds = new Set(tables.get("responses")!.map((r) => r.id));
    expect(new Set(tables.get("answers")!.map((r) => r.response_id))).toEqual(responseIds);
    const [{ n: now }] = await sql`select count(*)::int as n from responses where commune_id = ${a.commune.id}`;
    expect(responseIds.size).toBeGreaterThan(a.sent.length);
    expect(responseIds.size).toBeLessThan(now);
    // Every foreign key the package declares holds within the package.
    let checked = 0;
    for (const r of descriptor.resources)
      for (const fk of r.schema.foreignKeys ?? []) {
        const target = tables.get(fk.reference.resource || r.name)!;
        const keys = new Set(target.map((row) => fk.reference.fields.map((f: string) => row[f]).join("\u0000")));
        for (const row of tables.get(r.name)!) {
          const values = fk.fields.map((f: string) => row[f]);
          if (values.some((v: string) => v === "")) continue;
          expect(keys.has(values.join("\u0000")), `${r.name}.${fk.fields} → ${fk.reference.resource}`).toBe(true);
          checked++;
        }
      }
    // Each answer names its response and its question, at least.
    expect(tables.get("answers")!.length).toBeGreaterThan(50);
    expect(checked).toBeGreaterThanOrEqual(2 * tables.get("answers")!.length);
  });

  it("refuses, in one line and without writing, an unknown host and a directory that is not empty", () => {
    const unknown = cli("export", "--host", "inconnue.export.test", "--out", path.join(work, "inconnue"));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim().split("\n")).toEqual(["commune:export: no commune has the host inconnue.export.test (npm run commune:list shows them)"]);
    expect(readdirSync(work)).not.toContain("inconnue");

    const full = path.join(work, "full");
    rmSync(full, { recursive: true, force: true });
    mkdirSync(full);
    writeFileSync(path.join(full, "keep.txt"), "mine");
    const refused = cli("export", "--host", HOST_A, "--out", full);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual([`commune:export: ${full} exists and is not empty: give a new or empty directory`]);
    expect(readdirSync(full)).toEqual(["keep.txt"]);
  }, 180_000);

  it("removes only after a recent export: A's rows gone, B intact, A's host free again", async () => {
    // B was never exported.
    const notB = cli("remove", "--host", HOST_B, "--yes");
    expect(notB.status).toBe(1);
    expect(notB.stderr).toContain("export it first");
    expect(await removeCommune(url, HOST_B)).toMatchObject({ ok: false, refusal: "export_first" });
    // A's export, eight days later, is too old.
    expect(await removeCommune(url, HOST_A, new Date(Date.now() + 8 * DAY))).toMatchObject({ ok: false, refusal: "export_first" });
    // Not on a terminal and without --yes: nothing removed.
    expect(cli("remove", "--host", HOST_A).status).toBe(1);

    const bBefore = await counts(b.commune.id);
    await a.database.close();
    const removed = cli("remove", "--host", HOST_A, "--yes");
    expect(removed.stderr).toBe("");
    expect(removed.status).toBe(0);

    expect(Object.values(await counts(a.commune.id)).every((n) => n === 0)).toBe(true);
    const [row] = await sql`select status from quorum_registry.communes where id = ${a.commune.id}`;
    expect(row.status).toBe("removed");
    const actions = (await sql`select action from quorum_registry.events where commune_id = ${a.commune.id} order by id`).map((x) => x.action);
    expect(actions).toEqual(["added", "exported", "exported", "removed"]);
    // Running servers read the registry with readCommunes: A's host is no longer there (421).
    expect((await readCommunes(sql)).map((c) => c.hosts[0])).toEqual([HOST_B]);
    expect(await counts(b.commune.id)).toEqual(bBefore);
    expect(bBefore.responses).toBe(b.sent.length);
    // Removing again, or exporting, finds no such commune.
    expect(cli("remove", "--host", HOST_A, "--yes").stderr).toContain("no commune has the host");

    // A's host may be given to a new commune, which starts empty.
    const again = await addCommune(url, { hosts: [HOST_A], nameFr: "Saint-Amand (nouvelle)", nameEn: "Saint-Amand (new)" });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.commune.id).not.toBe(a.commune.id);
    const fresh = await counts(again.commune.id);
    expect(fresh.responses).toBe(0);
    expect(fresh.users).toBe(0);
  }, 180_000);
});
