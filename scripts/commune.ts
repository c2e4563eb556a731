/**
 * The host operator's commands for many communes on one installation (QUORUM_COMMUNES=many,
 * PostgreSQL in DATABASE_URL; docs/decisions/062-a-schema-for-each-commune.md):
 *
 *   npm run commune:add -- --host HOST [--host HOST2] --name-fr "…" --name-en "…"
 *   npm run commune:list
 *   npm run commune:suspend -- --host HOST      (its pages then say so; its data stays)
 *   npm run commune:resume -- --host HOST
 *
 * HOST is how residents reach the commune, `host[:port]` (saint-damien.consult.example).
 */
import { parseArgs } from "node:util";
import { addCommune, listCommunes, setCommuneStatus } from "#db/communes";
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
  options: { host: { type: "string", multiple: true }, "name-fr": { type: "string" }, "name-en": { type: "string" } },
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
  default:
    fail("commands: add, list, suspend, resume");
}
