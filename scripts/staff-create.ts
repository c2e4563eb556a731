/**
 * npm run staff:create -- --email EMAIL --role admin|official|moderator [--commune HOST]
 * With many communes (QUORUM_COMMUNES=many), --commune names the commune by one of its hosts.
 * The password comes from QUORUM_PASSWORD, or is asked for in a terminal.
 * Creates and migrates the database if needed (embedded or DATABASE_URL).
 * The embedded database serves one process: while Quorum runs on it, this
 * command refuses and says so (stop Quorum, run it, start Quorum again).
 */
import { parseArgs } from "node:util";
import { DatabaseBusyError } from "#db/client";
import { listCommunes, openCommuneDatabase } from "#db/communes";
import { prepareDatabase } from "#db/setup";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { seedDemo } from "~/domain/consultations/seed.server";
import { createStaff, emailSchema, roleSchema } from "~/domain/staff/accounts.server";
import { passwordSchema } from "~/domain/staff/schemas.server";
import { loadEnv } from "~/platform/env.server";

function fail(message: string): never {
  console.error(`staff:create: ${message}`);
  process.exit(1);
}

async function askHidden(prompt: string): Promise<string> {
  process.stdout.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode?.(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  let value = "";
  return new Promise((resolve) => {
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode?.(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          return resolve(value);
        }
        if (ch === "\u0003") process.exit(130);
        if (ch === "\u007f") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

const { values } = parseArgs({ options: { email: { type: "string" }, role: { type: "string", default: "admin" }, commune: { type: "string" } } });
const email = emailSchema.safeParse(values.email ?? "");
if (!email.success) fail("give a valid --email, e.g. npm run staff:create -- --email maire@example.org --role admin");
const role = roleSchema.safeParse(values.role);
if (!role.success) fail("--role must be admin, official or moderator");

let password = process.env.QUORUM_PASSWORD ?? "";
if (!password) {
  if (!process.stdin.isTTY) fail("set the password in QUORUM_PASSWORD (no terminal to ask it in)");
  password = await askHidden(`Password for ${email.data} (at least ${MIN_PASSWORD_LENGTH} characters): `);
  const again = await askHidden("Once more: ");
  if (again !== password) fail("the two passwords differ");
}
if (!passwordSchema.safeParse(password).success) fail(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);

const env = loadEnv();
let database;
let where = "";
try {
  if (values.commune !== undefined || env.QUORUM_COMMUNES === "many") {
    if (!env.DATABASE_URL) fail("--commune needs PostgreSQL (DATABASE_URL): the embedded database serves one commune");
    const host = (values.commune ?? "").trim().toLowerCase();
    if (!host) fail("with many communes, name the commune: --commune HOST (npm run commune:list shows them)");
    const commune = (await listCommunes(env.DATABASE_URL)).find((c) => c.hosts.includes(host));
    if (!commune) fail(`no commune has the host ${host} (npm run commune:list shows them)`);
    database = await openCommuneDatabase(env.DATABASE_URL, commune.id, 1);
    where = ` for ${commune.nameFr} (${commune.hosts[0]})`;
  } else database = await prepareDatabase({ url: env.DATABASE_URL, dataDir: env.QUORUM_DATA_DIR, seed: env.QUORUM_SEED_DEMO ? seedDemo : undefined, max: 1 });
} catch (error) {
  if (error instanceof DatabaseBusyError) fail(`${error.message}\nStop Quorum (Ctrl-C or SIGTERM), run this command again, then start Quorum.`);
  throw error;
}
try {
  const result = await createStaff(database.db, { email: email.data, password, role: role.data });
  if (!result.ok) {
    console.error(`staff:create: an account with the email ${email.data} already exists`);
    process.exitCode = 1;
  } else console.log(`staff:create: ${role.data} ${email.data} created${where} (${database.kind}). Sign in at /fr/staff/login or /en/staff/login.`);
} finally {
  await database.close();
}
