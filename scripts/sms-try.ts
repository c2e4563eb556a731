/**
 * npm run sms:try [-- --commune HOST] [--lang en]
 * The SMS conversation in a terminal, as a resident's phone would have it: each line typed (or
 * piped in) is one text message, and Quorum's reply is printed under it. The same engine as the
 * providers' webhooks and the staff page "Answering by SMS", in trial mode: nothing is stored,
 * drafts can be tried. Uses the embedded database (stop Quorum first) or DATABASE_URL.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { DatabaseBusyError } from "#db/client";
import { listCommunes, openCommuneDatabase } from "#db/communes";
import { prepareDatabase } from "#db/setup";
import { seedDemo } from "~/domain/consultations/seed.server";
import { shortCodeFor } from "~/domain/consultations/short.server";
import { readSettings } from "~/domain/settings/settings.server";
import { handleMessage, type SmsContext } from "~/domain/sms/conversation.server";
import { phoneHashOf } from "~/domain/sms/phone.server";
import { parseAnswers } from "~/domain/responses/validate.server";
import { baseCodeSecret, communeCodeSecret } from "~/platform/code-secret.server";
import { loadEnv } from "~/platform/env.server";
import { urls } from "~/urls";
import { settingsDefaults } from "~/web/settings.server";

function fail(message: string): never {
  console.error(`sms:try: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({ options: { commune: { type: "string" } } });
const env = loadEnv();
let database;
let origin = env.QUORUM_ORIGIN;
let secret = baseCodeSecret();
try {
  if (values.commune !== undefined || env.QUORUM_COMMUNES === "many") {
    if (!env.DATABASE_URL) fail("--commune needs PostgreSQL (DATABASE_URL)");
    const host = (values.commune ?? "").trim().toLowerCase();
    const commune = (await listCommunes(env.DATABASE_URL)).find((c) => c.hosts.includes(host));
    if (!commune) fail(`no commune has the host ${host || "(none given)"} (npm run commune:list shows them)`);
    database = await openCommuneDatabase(env.DATABASE_URL, commune.id, 1);
    origin = `${new URL(env.QUORUM_ORIGIN).protocol}//${commune.hosts[0]}`;
    secret = communeCodeSecret(secret, commune.id);
  } else database = await prepareDatabase({ url: env.DATABASE_URL, dataDir: env.QUORUM_DATA_DIR, seed: env.QUORUM_SEED_DEMO ? seedDemo : undefined, max: 1 });
} catch (error) {
  if (error instanceof DatabaseBusyError) fail(`${error.message}\nStop Quorum, run this command again, then start Quorum.`);
  throw error;
}

const db = database.db;
const { municipality } = await readSettings(db, settingsDefaults());
const ctx: SmsContext = {
  municipality: municipality.shortName,
  link: (path) => `${origin}${path}`,
  paths: { short: (lang, c) => urls.short(lang, shortCodeFor(c.id)), receipt: (lang, code) => urls.receipt(lang, code) },
  submit: async (c, _lang, form) => (parseAnswers(c.questions, form).ok ? { ok: true, receiptCode: "" } : { ok: false, reason: "invalid_answers" }),
  trial: true,
};
// A conversation of this terminal's own, apart from any resident's.
const phoneHash = phoneHashOf(secret, `terminal:${process.pid}:${Date.now()}`);
const interactive = Boolean(process.stdin.isTTY);
if (interactive) console.log("Quorum SMS (trial: nothing is stored). Type a message, Enter to send, Ctrl-D to end. Try AIR, HELLO, AIDE, STOP.");
const lines = createInterface({ input: process.stdin, terminal: false });
let n = 0;
for await (const line of lines) {
  const body = line.trim();
  if (!body) continue;
  if (!interactive) console.log(`> ${body}`);
  const handled = await handleMessage(db, ctx, { provider: "terminal", messageId: `${process.pid}-${++n}-${Date.now()}`, phoneHash, body });
  console.log(handled.reply ? `${handled.reply}\n` : "(no reply)\n");
}
await database.close();
