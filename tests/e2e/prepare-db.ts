/**
 * Prepares the database the end-to-end server runs on: a fresh embedded one
 * (or the DATABASE_URL one CI created), migrated, seeded with the demo, plus
 * fixtures the browser tests need: a closed consultation, a draft, and a
 * code-mode consultation with known participation codes.
 */
import { rmSync } from "node:fs";
import { prepareDatabase } from "#db/setup";
import { eq } from "drizzle-orm";
import { codeBatches, consultations, participationCodes, users } from "#db/schema";
import { demoConsultation } from "~/domain/consultations/demo";
import { createConsultation, getConsultationBySlug } from "~/domain/consultations/queries.server";
import { seedDemo } from "~/domain/consultations/seed.server";
import { hashParticipationCode } from "~/domain/participation/codes.server";
import { createStaff } from "~/domain/staff/accounts.server";
import { seedAnswers } from "../helpers/seeded";
import { SMS } from "../../playwright.config";
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
await createConsultation(db, { ...base, slug: E2E.closedSlug, status: "closed", texts: titled("Closed"), smsKeyword: SMS.closedKeyword });
await createConsultation(db, { ...base, slug: E2E.smsSlug, texts: titled("SMS"), smsKeyword: SMS.keyword });
await createConsultation(db, { ...base, slug: E2E.smsDraftSlug, status: "draft", texts: titled("SMS draft") });
const smsCodeId = await createConsultation(db, { ...base, slug: E2E.smsCodeSlug, mode: "code", texts: titled("SMS codes"), smsKeyword: SMS.codeKeyword });
await db.insert(participationCodes).values(E2E.smsCodes.map((code) => ({ consultationId: smsCodeId, codeHash: hashParticipationCode(code) })));
await createConsultation(db, { ...base, slug: E2E.draftSlug, status: "draft", texts: titled("Draft") });
const codeId = await createConsultation(db, { ...base, slug: E2E.codeSlug, mode: "code", texts: titled("Codes") });
await createConsultation(db, {
  ...base,
  slug: E2E.lettersSlug,
  mode: "code",
  status: "open",
  closesAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
  texts: titled("Letters"),
});
await createConsultation(db, { ...base, slug: E2E.typoSlug, mode: "code", texts: titled("Typographie") });
await createConsultation(db, { ...base, slug: E2E.offlineSlug, texts: titled("Offline") });
await createConsultation(db, { ...base, slug: E2E.listedSlug, texts: titled("Listed") });
await createConsultation(db, { ...base, slug: E2E.closingSlug, texts: titled("Closing") });
await createConsultation(db, { ...base, slug: E2E.moderationSlug, texts: titled("Moderation") });
await createConsultation(db, { ...base, slug: E2E.notifySlug, texts: titled("Notify") });
await createConsultation(db, { ...base, slug: E2E.themesSlug, texts: titled("Themes") });
await createConsultation(db, {
  ...base,
  slug: E2E.summarySlug,
  texts: titled("Summary"),
  // A group with a long name and a long word, which the printed breakdown must not cut.
  questions: base.questions.map((q) =>
    q.code === "support"
      ? { ...q, allowPreferNot: true }
      : q.code === "area"
        ? {
            ...q,
            options: q.options!.map((o) =>
              o.code === "suburban" ? { ...o, labels: { fr: "En périphérie de l’intercommunalité", en: "On the outskirts of the intercommunality" } } : o,
            ),
          }
        : q,
  ),
});
const resultsId = await createConsultation(db, {
  ...base,
  slug: E2E.resultsSlug,
  texts: titled("Results"),
  opensAt: new Date(Date.now() - 10 * 24 * 3600 * 1000),
});
const demo = await getConsultationBySlug(db, E2E.demoSlug);
if (demo) await db.insert(codeBatches).values({ id: E2E.demoBatchId, consultationId: demo.id, label: "E2E", size: 0, requestId: crypto.randomUUID() });
await db.insert(participationCodes).values(E2E.codes.map((code) => ({ consultationId: codeId, codeHash: hashParticipationCode(code) })));
for (const [email, role] of [
  [E2E.official, "official"],
  [E2E.official2, "official"],
  [E2E.moderator, "moderator"],
] as const)
  await createStaff(db, { email, password: E2E.password, role });
// Results for residents: 120 seeded answers (texts, "Other", every channel), some texts hidden.
const [moderator] = await db.select({ id: users.id }).from(users).where(eq(users.email, E2E.moderator));
await seedAnswers(db, (await getConsultationBySlug(db, E2E.resultsSlug))!, { count: 120, seed: 11, moderatorId: moderator.id, hideShare: 0.1 });
const now = new Date();
await db.update(consultations).set({ status: "closed", resultsPublishedAt: now, textsPublishedAt: now }).where(eq(consultations.id, resultsId));
await database.close();
console.log(`Quorum e2e: database ready (${database.kind}).`);
