/** `npm run db:migrate`: applies migrations to DATABASE_URL (or the embedded database) and exits. */
import { loadEnv } from "../app/env.server";
import { prepareDatabase } from "./setup";

const env = loadEnv();
const database = await prepareDatabase({ url: env.DATABASE_URL, dataDir: env.QUORUM_DATA_DIR, seed: env.QUORUM_SEED_DEMO });
await database.close();
console.log(`Quorum: database ready (${database.kind}).`);
