/**
 * A commune leaving the installation (issue 26, docs/decisions/062-a-schema-for-each-commune.md and 072):
 * everything it owns written out as a Frictionless Tabular Data Package, and its removal, allowed
 * only after a recent export.
 *
 * The export reads the commune's rows table by table in one REPEATABLE READ transaction, so the
 * files agree with each other, and writes one strict RFC 4180 CSV (UTF-8, CRLF, a header row) per
 * table with `datapackage.json` describing them: fields typed from PostgreSQL's column types,
 * primary and foreign keys, byte sizes and SHA-256 digests. Every one of Quorum's tables must have a
 * rule in `EXPORT_RULES`: a table added by a later migration stops the export until someone has
 * decided whether it may leave.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { client, ensureRegistry, REGISTRY_LOCK, tablesInOrder, type CommuneRow, type CommuneStatus } from "./communes";

type Sql = import("postgres").Sql;
type Tx = import("postgres").TransactionSql;

/** How a commune's rows of one table leave: whole, without some columns, some rows only, or not at all. */
export type TableRule =
  | { leftOut: string }
  | {
      /** Column → why it stays behind. */
      withheld?: Record<string, string>;
      /** A condition on the rows that leave, and why. */
      rows?: { where: string; why: string };
    };

const TOKENS = "single-use links or sign-ins: whoever held them could act as a staff member or a resident";

/**
 * What a commune leaving the installation gets. It gets what is its own and what it owes its
 * residents and staff (consultations, answers, audit, settings, staff accounts, the addresses
 * residents confirmed for a notice); what would let the file's holder act as someone (password
 * hashes, sessions, invitation and reset tokens, the links in waiting emails) and the
 * installation's own secret stay behind.
 */
export const EXPORT_RULES: Record<string, TableRule> = {
  consultations: {},
  questions: {},
  options: {},
  responses: {},
  answers: {},
  public_figures: {},
  reference_shares: {},
  code_batches: {},
  // Digests of the codes, never the codes: unused codes stay checkable where the digests go.
  participation_codes: {},
  themes: {},
  answer_themes: {},
  theme_rejections: {},
  audit_log: {},
  settings: {},
  logos: {},
  users: { withheld: { password_hash: "password hashes never leave: staff choose a new password where the commune goes" } },
  outbox: {
    withheld: {
      recipient: "a resident's address (a staff member's is in users)",
      text_body: `messages carry ${TOKENS}`,
      html_body: `messages carry ${TOKENS}`,
      headers: "List-Unsubscribe carries a resident's single-use link",
    },
  },
  notification_addresses: {
    withheld: { token_hash: "digest of the resident's confirmation and unsubscribe link" },
    rows: {
      where: "confirmed_on is not null",
      why: "addresses residents confirmed, whom the commune still owes a notice; unconfirmed ones (no consent yet, deleted after 7 days) stay",
    },
  },
  sessions: { leftOut: `open staff sessions: ${TOKENS}` },
  invitations: { leftOut: `pending staff invitations: ${TOKENS}` },
  password_resets: { leftOut: `password reset links: ${TOKENS}` },
  rate_limits: { leftOut: "counters of the last minutes, keyed by digests salted with the installation's secret" },
  // Keyed by hashes made with the installation's code secret, which stays behind: useless elsewhere, and kept a day at most.
  sms_conversations: { leftOut: "conversations by text message in progress (a day at most), keyed by a hash of the phone made with the installation's secret" },
  sms_messages: { leftOut: "the provider's ids of the last day's text messages, with the replies sent: only to answer a provider's retry" },
  sms_phone_answers: {
    leftOut: "hashes of the phones that answered, made with the installation's secret: kept only until the closing, to refuse a second answer",
  },
  meta: { leftOut: "the installation's secret (salt of rate-limit keys and of residents' notice links) and facts about this database" },
};

export const EXPORT_DESCRIPTION = [
  "Tout ce que la commune détient sur cette installation de Quorum, lu en un seul instant : consultations, questions, réponses, codes de participation (leurs empreintes), lots, thèmes, journal d’audit, réglages, logos, comptes du personnel, messages envoyés, adresses confirmées pour un avis, et la fiche de la commune au registre avec son historique.",
  "Ne sortent pas : les empreintes de mots de passe, les sessions, les invitations et liens de réinitialisation en attente, le corps et les destinataires des messages (ils portent des liens à usage unique et des adresses d’habitants), les compteurs de limitation, les conversations SMS en cours et les empreintes de téléphones (faites avec le secret de l’installation), et le secret de l’installation.",
  "",
  "Everything the commune holds on this Quorum installation, read at one instant: consultations, questions, answers, participation codes (their digests), batches, themes, audit log, settings, logos, staff accounts, messages sent, addresses confirmed for a notice, and the commune's registry entry with its history.",
  "Left behind: password hashes, sessions, pending invitations and reset links, the bodies and recipients of messages (they carry single-use links and residents' addresses), rate-limit counters, SMS conversations in progress and phone hashes (made with the installation's secret), and the installation's secret.",
  "",
  'CSV: RFC 4180, UTF-8, CRLF, a header row; an empty cell is null, an empty text is written ""; times in UTC with microseconds; JSON columns and arrays as JSON text.',
].join("\n");

export type ExportResult =
  | { ok: true; commune: CommuneRow; dir: string; files: { path: string; rows: number | null; bytes: number }[] }
  | { ok: false; refusal: "unknown_host" }
  | { ok: false; refusal: "out_not_empty"; dir: string };

interface Column {
  name: string;
  dataType: string;
  nullable: boolean;
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The column as the text its CSV cell holds (null stays null). */
function cellOf(c: Column): string {
  const n = ident(c.name);
  switch (c.dataType) {
    case "timestamp with time zone":
      return `to_char(${n} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case "date":
      return `to_char(${n}, 'YYYY-MM-DD')`;
    case "boolean":
      return `case when ${n} then 'true' when not ${n} then 'false' end`;
    case "ARRAY":
      return `to_jsonb(${n})::text`;
    default:
      return `${n}::text`;
  }
}

type Field = { name: string; type: string; format?: string; constraints?: { required: true } };

/** The Table Schema type of a PostgreSQL column; JSON columns by what their values are. */
function fieldOf(c: Column, jsonTypes: string[]): Field {
  const base = { name: c.name };
  const required = !c.nullable ? { constraints: { required: true as const } } : {};
  switch (c.dataType) {
    case "text":
    case "character varying":
      // Not `required`: an empty text is a value here, and Table Schema reads an empty cell as missing.
      return { ...base, type: "string" };
    case "uuid":
      return { ...base, type: "string", format: "uuid", ...required };
    case "integer":
    case "smallint":
    case "bigint":
      return { ...base, type: "integer", ...required };
    case "numeric":
    case "real":
    case "double precision":
      return { ...base, type: "number", ...required };
    case "boolean":
      return { ...base, type: "boolean", ...required };
    case "timestamp with time zone":
      return { ...base, type: "datetime", format: "%Y-%m-%dT%H:%M:%S.%fZ", ...required };
    case "date":
      return { ...base, type: "date", ...required };
    case "ARRAY":
      return { ...base, type: "array", ...required };
    case "jsonb":
    case "json": {
      const type = jsonTypes.length === 1 && (jsonTypes[0] === "object" || jsonTypes[0] === "array") ? jsonTypes[0] : "any";
      return { ...base, type, ...required };
    }
    default:
      throw new Error(`the export does not know PostgreSQL's type ${c.dataType} (column ${c.name})`);
  }
}

async function columnsOf(tx: Tx, schema: string, table: string): Promise<Column[]> {
  const rows = await tx`select column_name, data_type, is_nullable from information_schema.columns
    where table_schema = ${schema} and table_name = ${table} order by ordinal_position`;
  return rows.map((r) => ({ name: String(r.column_name), dataType: String(r.data_type), nullable: r.is_nullable === "YES" }));
}

async function primaryKeyOf(tx: Tx, schema: string, table: string): Promise<string[]> {
  const rows = await tx`select a.attname from pg_index i
    join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
    join unnest(i.indkey) with ordinality k(attnum, ord) on true
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where i.indisprimary and n.nspname = ${schema} and c.relname = ${table} order by k.ord`;
  return rows.map((r) => String(r.attname));
}

async function foreignKeysOf(tx: Tx, schema: string, table: string) {
  const rows = await tx`select
      (select array_agg(a.attname::text order by k.ord) from unnest(con.conkey) with ordinality k(n, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n) as fields,
      ref.relname::text as resource,
      (select array_agg(a.attname::text order by k.ord) from unnest(con.confkey) with ordinality k(n, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n) as reference
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_class ref on ref.oid = con.confrelid
    where con.contype = 'f' and n.nspname = ${schema} and c.relname = ${table} order by con.conname`;
  return rows.map((r) => ({ fields: r.fields as string[], resource: String(r.resource), reference: r.reference as string[] }));
}

const CSV_OPTIONS = {
  record_delimiter: "windows" as const,
  // RFC 4180: a field with a line break is quoted (CR or LF alone too); an empty text is `""`,
  // so that an unquoted empty cell is null.
  quoted_match: [/^$/, /[\r\n]/],
};

interface Written {
  name: string;
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
  schema: { fields: Field[]; primaryKey?: string[]; foreignKeys?: unknown[]; missingValues: string[] };
  description?: string;
}

/** Writes one table (or the registry's rows of the commune) as `file` in `dir`. */
async function writeTable(
  tx: Tx,
  dir: string,
  source: { schema: string; table: string; name: string; where?: string; withheld?: string[]; exported?: Set<string> },
): Promise<Written> {
  const columns = (await columnsOf(tx, source.schema, source.table)).filter((c) => !source.withheld?.includes(c.name));
  const from = `${ident(source.schema)}.${ident(source.table)}`;
  const where = source.where ? ` where ${source.where}` : "";
  const fields: Field[] = [];
  for (const c of columns) {
    let jsonTypes: string[] = [];
    if (c.dataType === "jsonb" || c.dataType === "json") {
      const kinds = await tx.unsafe(
        `select distinct jsonb_typeof(${ident(c.name)}::jsonb) as t from ${from}${where} ${where ? "and" : "where"} ${ident(c.name)} is not null`,
      );
      jsonTypes = kinds.map((k) => String(k.t));
    }
    fields.push(fieldOf(c, jsonTypes));
  }
  const primaryKey = (await primaryKeyOf(tx, source.schema, source.table)).filter((k) => columns.some((c) => c.name === k));
  const foreignKeys = source.exported
    ? (await foreignKeysOf(tx, source.schema, source.table))
        .filter((fk) => source.exported!.has(fk.resource) && fk.fields.every((f) => columns.some((c) => c.name === f)))
        .map((fk) => ({ fields: fk.fields, reference: { resource: fk.resource === source.table ? "" : fk.resource, fields: fk.reference } }))
    : [];
  const order = primaryKey.length ? primaryKey.map(ident).join(", ") : columns.map((_, i) => String(i + 1)).join(", ");
  const query = `select ${columns.map((c, i) => `${cellOf(c)} as c${i}`).join(", ")} from ${from}${where} order by ${order}`;

  const file = `${source.name}.csv`;
  const handle = await open(path.join(dir, file), "wx");
  const hash = createHash("sha256");
  let bytes = 0;
  let rows = 0;
  const put = async (text: string) => {
    const chunk = Buffer.from(text, "utf8");
    hash.update(chunk);
    bytes += chunk.length;
    await handle.write(chunk);
  };
  try {
    await put(stringify([columns.map((c) => c.name)], CSV_OPTIONS));
    await tx.unsafe(query).cursor(500, async (batch) => {
      rows += batch.length;
      await put(
        stringify(
          batch.map((r) => columns.map((_, i) => r[`c${i}`] as string | null)),
          CSV_OPTIONS,
        ),
      );
    });
  } finally {
    await handle.close();
  }
  return {
    name: source.name,
    path: file,
    rows,
    bytes,
    sha256: hash.digest("hex"),
    schema: { fields, ...(primaryKey.length ? { primaryKey } : {}), ...(foreignKeys.length ? { foreignKeys } : {}), missingValues: [""] },
  };
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw error;
  }
  return (await readdir(dir)).length === 0;
}

function rowOf(r: Record<string, unknown>): CommuneRow {
  return {
    id: Number(r.id),
    hosts: r.hosts as string[],
    nameFr: String(r.name_fr),
    nameEn: String(r.name_en),
    status: r.status as CommuneStatus,
    createdAt: new Date(r.created_at as string),
  };
}

async function communeByHost(tx: Tx | Sql, host: string): Promise<CommuneRow | null> {
  const [row] =
    await tx`select id, hosts, name_fr, name_en, status, created_at from quorum_registry.communes where status <> 'removed' and ${host} = any(hosts)`;
  return row ? rowOf(row) : null;
}

/**
 * Writes everything commune `host` owns into `outDir` (made when missing; refused when it holds
 * anything) and records an `exported` event. The files go to a directory beside it first, renamed
 * into place once complete: `outDir` never holds half an export.
 */
export async function exportCommune(url: string, host: string, outDir: string): Promise<ExportResult> {
  const out = path.resolve(outDir);
  if (!(await isEmptyOrMissing(out))) return { ok: false, refusal: "out_not_empty", dir: out };
  const sql = await client(url);
  const staging = `${out}.partial-${process.pid}`;
  try {
    await ensureRegistry(sql);
    return await sql.begin("isolation level repeatable read", async (tx): Promise<ExportResult> => {
      const commune = await communeByHost(tx, host);
      if (!commune) return { ok: false, refusal: "unknown_host" };
      // Every commune's rows share these tables (decision 072): the commune's are those of its number,
      // read as the commune, so that a login bound by row-level security reads them too.
      await tx`select set_config('quorum.commune', ${String(commune.id)}, true)`;
      const schema = "public";
      const [{ at }] = await tx`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`;
      const tables = (
        await tx`select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`
      ).map((r) => String(r.table_name));
      const unruled = tables.filter((t) => !EXPORT_RULES[t]);
      if (unruled.length)
        throw new Error(`no export rule for the table${unruled.length > 1 ? "s" : ""} ${unruled.join(", ")}: add one to EXPORT_RULES in db/communes-export.ts`);
      const exported = new Set(tables.filter((t) => !("leftOut" in EXPORT_RULES[t])));

      await rm(staging, { recursive: true, force: true });
      await mkdir(staging, { recursive: true });
      const written: Written[] = [];
      for (const table of exported) {
        const rule = EXPORT_RULES[table] as Exclude<TableRule, { leftOut: string }>;
        const mine = `commune_id = ${commune.id}`;
        const w = await writeTable(tx, staging, {
          schema,
          table,
          name: table,
          where: rule.rows ? `${mine} and (${rule.rows.where})` : mine,
          // The installation's number for the commune, the same on every row: the registry file has it.
          withheld: ["commune_id", ...Object.keys(rule.withheld ?? {})],
          exported,
        });
        const notes = [
          ...Object.entries(rule.withheld ?? {}).map(([c, why]) => `Column ${c} left out: ${why}.`),
          ...(rule.rows ? [`Rows: ${rule.rows.why}.`] : []),
        ];
        written.push(notes.length ? { ...w, description: notes.join(" ") } : w);
      }
      written.push({
        ...(await writeTable(tx, staging, { schema: "drizzle", table: "__drizzle_migrations", name: "__quorum_migrations" })),
        description: "Which migrations the tables are at: what an importer needs to read them.",
      });
      written.push({
        ...(await writeTable(tx, staging, { schema: "quorum_registry", table: "communes", name: "registry_commune", where: `id = ${commune.id}` })),
        description: "The commune's entry in the installation's registry: its hosts, names, status and creation.",
      });
      written.push({
        ...(await writeTable(tx, staging, { schema: "quorum_registry", table: "events", name: "registry_events", where: `commune_id = ${commune.id}` })),
        description: "What the installation's operator did to the commune (added, suspended, resumed, exported), before this export.",
      });

      const descriptor = {
        profile: "tabular-data-package",
        name: `quorum-commune-${commune.id}`,
        title: `${commune.nameFr === commune.nameEn ? commune.nameFr : `${commune.nameFr} / ${commune.nameEn}`} — Quorum`,
        description: EXPORT_DESCRIPTION,
        created: at,
        keywords: ["quorum", "commune", "export"],
        quorum: {
          commune: { id: commune.id, hosts: commune.hosts, names: { fr: commune.nameFr, en: commune.nameEn }, status: commune.status },
          schema,
          leftOut: tables.filter((t) => !exported.has(t)).map((t) => ({ table: t, why: (EXPORT_RULES[t] as { leftOut: string }).leftOut })),
          withheldColumns: [...exported].flatMap((t) =>
            Object.entries((EXPORT_RULES[t] as { withheld?: Record<string, string> }).withheld ?? {}).map(([column, why]) => ({ table: t, column, why })),
          ),
        },
        resources: written.map((w) => ({
          profile: "tabular-data-resource",
          name: w.name,
          path: w.path,
          ...(w.description ? { description: w.description } : {}),
          format: "csv",
          mediatype: "text/csv",
          encoding: "utf-8",
          bytes: w.bytes,
          hash: `sha256:${w.sha256}`,
          dialect: { delimiter: ",", lineTerminator: "\r\n", quoteChar: '"', doubleQuote: true, header: true },
          schema: w.schema,
        })),
      };
      const json = `${JSON.stringify(descriptor, null, 2)}\n`;
      const handle = await open(path.join(staging, "datapackage.json"), "wx");
      try {
        await handle.write(json);
      } finally {
        await handle.close();
      }
      if (!(await isEmptyOrMissing(out))) throw new Error(`${out} was filled while the export ran`);
      await rmdir(out).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      await rename(staging, out);
      const files = written.length + 1;
      await tx`insert into quorum_registry.events (commune_id, action, detail) values (${commune.id}, 'exported', ${JSON.stringify({
        host,
        dir: path.basename(out),
        files,
        datapackage: `sha256:${createHash("sha256").update(json, "utf8").digest("hex")}`,
      })}::text::jsonb)`;
      return {
        ok: true,
        commune,
        dir: out,
        files: [
          ...written.map((w) => ({ path: w.path, rows: w.rows, bytes: w.bytes })),
          { path: "datapackage.json", rows: null, bytes: Buffer.byteLength(json) },
        ],
      };
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
    await sql.end({ timeout: 5 });
  }
}

/** How recent an export must be for the commune to be removed. */
export const EXPORT_VALID_DAYS = 7;

export type RemovalCheck =
  | { ok: true; commune: CommuneRow; exportedAt: Date; exportDir: string }
  | { ok: false; refusal: "unknown_host" }
  | { ok: false; refusal: "export_first"; commune: CommuneRow; lastExport: Date | null };

async function checkRemovalIn(tx: Tx | Sql, host: string, now: Date): Promise<RemovalCheck> {
  const commune = await communeByHost(tx, host);
  if (!commune) return { ok: false, refusal: "unknown_host" };
  const [last] = await tx`select at, detail from quorum_registry.events where commune_id = ${commune.id} and action = 'exported' order by at desc limit 1`;
  const lastExport = last ? new Date(last.at as string) : null;
  if (!lastExport || now.getTime() - lastExport.getTime() > EXPORT_VALID_DAYS * 24 * 3600 * 1000)
    return { ok: false, refusal: "export_first", commune, lastExport };
  return { ok: true, commune, exportedAt: lastExport, exportDir: String((last.detail as { dir?: string }).dir ?? "") };
}

/** Whether commune `host` may be removed now (for the question asked before removing it). */
export async function checkRemoval(url: string, host: string, now = new Date()): Promise<RemovalCheck> {
  const sql = await client(url);
  try {
    await ensureRegistry(sql);
    return await checkRemovalIn(sql, host, now);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type RemovalResult = RemovalCheck | { ok: false; refusal: "in_use" };

/**
 * Removes commune `host` when it was exported within `EXPORT_VALID_DAYS`: in one transaction its
 * registry row is marked `removed` (its hosts free for another commune), a `removed` event
 * recorded and its rows deleted from every table. Running servers stop serving its hosts (421)
 * when they next read the registry.
 */
export async function removeCommune(url: string, host: string, now = new Date()): Promise<RemovalResult> {
  const sql = await client(url);
  try {
    await ensureRegistry(sql);
    return await sql.begin(async (tx): Promise<RemovalResult> => {
      await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK})`;
      const check = await checkRemovalIn(tx, host, now);
      if (!check.ok) return check;
      const { commune } = check;
      await tx`select pg_advisory_xact_lock(${REGISTRY_LOCK}, ${commune.id})`;
      await tx`update quorum_registry.communes set status = 'removed' where id = ${commune.id}`;
      await tx`insert into quorum_registry.events (commune_id, action, detail) values (${commune.id}, 'removed', ${JSON.stringify({
        host,
        hosts: commune.hosts,
        exportedAt: check.exportedAt.toISOString(),
        exportDir: check.exportDir,
      })}::text::jsonb)`;
      // A request of the commune still running holds its tables: wait for it a while, not forever.
      await tx`set local lock_timeout = '10s'`;
      // As the commune: a login bound by row-level security deletes only the rows it can see.
      await tx`select set_config('quorum.commune', ${String(commune.id)}, true)`;
      // Its rows, the tables that refer to others first; the transaction is one instant for every process.
      for (const table of (await tablesInOrder(tx)).reverse()) await tx.unsafe(`delete from public.${ident(table)} where commune_id = ${commune.id}`);
      await tx`delete from quorum_registry.rate_limits where commune_id = ${commune.id}`;
      return { ...check, commune: { ...commune, status: "removed" } };
    });
  } catch (error) {
    // lock_not_available: the whole transaction was rolled back, the commune is as it was.
    if ((error as { code?: string }).code === "55P03") return { ok: false, refusal: "in_use" };
    throw error;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
