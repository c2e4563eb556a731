/** `npm run db:migrate`: applies migrations to DATABASE_URL (or the embedded database) and exits. */
import { prepareDatabase } from "#db/setup";
import { seedDemo } from "~/domain/consultations/seed.server";
import { loadEnv } from "~/platform/env.server";

const env = loadEnv();
const database = await prepareDatabase({ url: env.DATABASE_URL, dataDir: env.QUORUM_DATA_DIR, seed: env.QUORUM_SEED_DEMO ? seedDemo : undefined });
await database.close();
console.log(`Quorum: database ready (${database.kind}).`);
