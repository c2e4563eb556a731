/**
 * Prepares the database the end-to-end server runs on: a fresh embedded one
 * (or the DATABASE_URL one CI created), migrated, seeded with the demo, plus
 * fixtures the browser tests need: a closed consultation, a draft, and a
 * code-mode consultation with known participation codes.
 */
import { rmSync } from "node:fs";
import { prepareDatabase } from "#db/setup";
import { participationCodes } from "#db/schema";
import { demoConsultation } from "~/domain/consultations/demo";
import { createConsultation } from "~/domain/consultations/queries.server";
import { seedDemo } from "~/domain/consultations/seed.server";
import { hashParticipationCode } from "~/domain/participation/codes.server";
import { createStaff } from "~/domain/staff/accounts.server";
import { E2E } from "./fixtures";

const url = process.env.DATABASE_URL || undefined;
const dataDir = process.env.QUORUM_DATA_DIR ?? ".data/e2e";
if (!url) rmSync(dataDir, { recursive: true, force: true });

const database = await prepareDatabase({ url, dataDir, seed: seedDemo });
const db = database.db;
const base = demoConsultation();
const titled = (label: string) => ({
  fr: { ...base.texts.fr, title: `${label} – ${base.texts.fr.title}` },
  en: { ...base.texts.en, title: `${label} – ${base.texts.en.title}` },
});
await createConsultation(db, { ...base, slug: E2E.closedSlug, status: "closed", texts: titled("Closed") });
await createConsultation(db, { ...base, slug: E2E.draftSlug, status: "draft", texts: titled("Draft") });
const codeId = await createConsultation(db, { ...base, slug: E2E.codeSlug, mode: "code", texts: titled("Codes") });
await createConsultation(db, { ...base, slug: E2E.offlineSlug, texts: titled("Offline") });
await createConsultation(db, { ...base, slug: E2E.listedSlug, texts: titled("Listed") });
await createConsultation(db, { ...base, slug: E2E.closingSlug, texts: titled("Closing") });
await createConsultation(db, { ...base, slug: E2E.moderationSlug, texts: titled("Moderation") });
await createConsultation(db, {
  ...base,
  slug: E2E.summarySlug,
  texts: titled("Summary"),
  questions: base.questions.map((q) => (q.code === "support" ? { ...q, allowPreferNot: true } : q)),
});
await db.insert(participationCodes).values(E2E.codes.map((code) => ({ consultationId: codeId, codeHash: hashParticipationCode(code) })));
for (const [email, role] of [
  [E2E.official, "official"],
  [E2E.official2, "official"],
  [E2E.moderator, "moderator"],
] as const)
  await createStaff(db, { email, password: E2E.password, role });
await database.close();
console.log(`Quorum e2e: database ready (${database.kind}).`);
