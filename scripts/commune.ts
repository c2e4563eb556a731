/**
 * The host operator's commands for many communes on one installation (QUORUM_COMMUNES=many,
 * PostgreSQL in DATABASE_URL; docs/decisions/062-a-schema-for-each-commune.md):
 *
 *   npm run commune:add -- --host HOST [--host HOST2] --name-fr "…" --name-en "…"
 *   npm run commune:list
 *   npm run commune:suspend -- --host HOST      (its pages then say so; its data stays)
 *   npm run commune:resume -- --host HOST
 *   npm run commune:export -- --host HOST --out DIR   (everything it owns, as a data package)
 *   npm run commune:remove -- --host HOST [--yes]     (after an export of the last 7 days)
 *
 * HOST is how residents reach the commune, `host[:port]` (saint-damien.consult.example).
 */
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { addCommune, listCommunes, setCommuneStatus } from "#db/communes";
import { checkRemoval, EXPORT_VALID_DAYS, exportCommune, removeCommune } from "#db/communes-export";
import { loadEnv } from "~/platform/env.server";

const command = process.argv[2];

function fail(message: string): never {
  console.error(`commune:${command ?? ""}: ${message}`);
  process.exit(1);
}

/** `host[:port]`, lower case, without a scheme's default port; null when it is not one. */
export function hostArgument(value: string): string | null {
  const h = value.trim().toLowerCase();
  if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/.test(h)) return null;
  const port = h.includes(":") ? Number(h.split(":")[1]) : 1;
  return port >= 1 && port <= 65535 ? h : null;
}

let env;
try {
  env = loadEnv();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (!env.DATABASE_URL) fail("many communes live on PostgreSQL: set DATABASE_URL (the embedded database serves one commune)");
const url = env.DATABASE_URL;
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    host: { type: "string", multiple: true },
    "name-fr": { type: "string" },
    "name-en": { type: "string" },
    out: { type: "string" },
    yes: { type: "boolean" },
  },
});
const hosts = (values.host ?? []).map((h) => hostArgument(h) ?? fail(`not a host name (host or host:port): ${h}`));

switch (command) {
  case "add": {
    if (!hosts.length) fail('give its host: --host saint-damien.consult.example --name-fr "Saint-Damien" --name-en "Saint-Damien"');
    const nameFr = values["name-fr"]?.trim();
    const nameEn = values["name-en"]?.trim();
    if (!nameFr || !nameEn) fail("give both names: --name-fr and --name-en");
    const result = await addCommune(url, { hosts, nameFr, nameEn });
    if (!result.ok) fail(`the host ${result.host} already belongs to a commune`);
    console.log(`commune:add: ${nameFr} / ${nameEn} added (commune ${result.commune.id}) at ${hosts.join(", ")}.`);
    console.log(`Next: npm run staff:create -- --commune ${hosts[0]} --email … --role admin`);
    break;
  }
  case "list": {
    const communes = await listCommunes(url);
    if (!communes.length) console.log("commune:list: no commune yet (npm run commune:add).");
    for (const c of communes) console.log(`${c.id}\t${c.status}\t${c.hosts.join(",")}\t${c.nameFr} / ${c.nameEn}`);
    break;
  }
  case "suspend":
  case "resume": {
    if (hosts.length !== 1) fail("name the commune by one host: --host HOST");
    const row = await setCommuneStatus(url, hosts[0], command === "suspend" ? "suspended" : "active");
    if (!row) fail(`no commune has the host ${hosts[0]} (npm run commune:list shows them)`);
    console.log(`commune:${command}: ${row.nameFr} is ${row.status}.`);
    break;
  }
  case "export": {
    if (hosts.length !== 1 || !values.out) fail("name the commune and a new or empty directory: --host HOST --out DIR");
    // `npm run` starts in the project's directory: DIR is read from where the operator typed it.
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
    const result = await exportCommune(url, hosts[0], out);
    if (!result.ok && result.refusal === "unknown_host") fail(`no commune has the host ${hosts[0]} (npm run commune:list shows them)`);
    if (!result.ok) fail(`${out} exists and is not empty: give a new or empty directory`);
    const rows = result.files.reduce((sum, f) => sum + (f.rows ?? 0), 0);
    console.log(`commune:export: ${result.commune.nameFr} written to ${result.dir}: ${result.files.length} files, ${rows} rows.`);
    if (result.commune.status === "active") console.log("It is still active: what changes from now on is not in the export (suspend it first to be sure).");
    break;
  }
  case "remove": {
    if (hosts.length !== 1) fail("name the commune by one host: --host HOST");
    const check = await checkRemoval(url, hosts[0]);
    if (!check.ok && check.refusal === "unknown_host") fail(`no commune has the host ${hosts[0]} (npm run commune:list shows them)`);
    if (!check.ok) fail(`export it first (npm run commune:export -- --host ${hosts[0]} --out DIR): no export in the last ${EXPORT_VALID_DAYS} days`);
    if (!values.yes) {
      if (!process.stdin.isTTY) fail("not asked on a terminal: add --yes to remove it without the question");
      const asked = createInterface({ input: process.stdin, output: process.stdout });
      const typed = await asked.question(
        `Remove ${check.commune.nameFr} (${check.commune.hosts.join(", ")}) and all its data, exported ${check.exportedAt.toISOString()} to ${check.exportDir}? Type its host to confirm: `,
      );
      asked.close();
      if (typed.trim().toLowerCase() !== hosts[0]) fail("not removed: the host typed does not match");
    }
    const result = await removeCommune(url, hosts[0]);
    if (!result.ok && result.refusal === "in_use") fail("its tables are in use (a request still running?): nothing removed, try again");
    if (!result.ok) fail(`not removed: ${result.refusal === "unknown_host" ? "the commune is gone" : "its export is no longer recent, export it again"}`);
    console.log(`commune:remove: ${result.commune.nameFr} removed; ${result.commune.hosts.join(", ")} may be given to another commune.`);
    break;
  }
  default:
    fail("commands: add, list, suspend, resume, export, remove");
}
