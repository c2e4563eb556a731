/**
 * Two communes on one PostgreSQL database for tests/e2e/communes.spec.ts, made as an operator
 * would (the commune and staff commands), then given content through the domain: the demo
 * consultation in both (the same address in each), a code-mode consultation in both with codes
 * of their own, answers in A, and in A a consultation whose open data is published.
 * Prints what the spec needs as JSON.
 */
import { execFileSync } from "node:child_process";
import { eq } from "drizzle-orm";
import { listCommunes, openCommuneDatabase } from "#db/communes";
import { consultations, participationCodes } from "#db/schema";
import { demoConsultation } from "~/domain/consultations/demo";
import { createConsultation, getConsultationBySlug } from "~/domain/consultations/queries.server";
import { shortCodeFor } from "~/domain/consultations/short.server";
import { hashParticipationCode } from "~/domain/participation/codes.server";
import { seedAnswers } from "../helpers/seeded";

const url = process.env.DATABASE_URL!;
const [hostA, hostB] = [process.env.HOST_A!, process.env.HOST_B!];
const run = (args: string[]) => execFileSync("npx", ["tsx", ...args], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
run(["scripts/commune.ts", "add", "--host", hostA, "--name-fr", "Saint-Amand-des-Prés", "--name-en", "Saint-Amand-des-Prés"]);
run(["scripts/commune.ts", "add", "--host", hostB, "--name-fr", "Bourg-Blanc-sur-Lande", "--name-en", "Bourg-Blanc-on-Heath"]);
for (const [host, email] of [
  [hostA, "maire@saint-amand.test"],
  [hostB, "maire@bourg-blanc.test"],
])
  run(["scripts/staff-create.ts", "--commune", host, "--email", email, "--role", "admin"]);

const [a, b] = await listCommunes(url);
const dbA = await openCommuneDatabase(url, a.id, 2);
const dbB = await openCommuneDatabase(url, b.id, 2);
const base = demoConsultation();
const codes = { a: ["AMAND-AAAA2", "AMAND-BBBB3"], b: ["BLANC-CCCC4"] };
const out: Record<string, unknown> = {};
for (const [key, database] of [
  ["a", dbA],
  ["b", dbB],
] as const) {
  const db = database.db;
  await createConsultation(db, { ...base });
  const codeId = await createConsultation(db, { ...base, slug: "avec-codes", mode: "code" });
  await db.insert(participationCodes).values(codes[key].map((code) => ({ consultationId: codeId, codeHash: hashParticipationCode(code) })));
}
// B's own words, which nothing served to A's staff may carry.
await dbB.db
  .update(consultations)
  .set({ texts: { fr: { ...base.texts.fr, title: "Titre propre à Bourg-Blanc" }, en: { ...base.texts.en, title: "Bourg-Blanc's own title" } } })
  .where(eq(consultations.slug, base.slug));
await createConsultation(dbA.db, { ...base, slug: "avis-saint-amand", opensAt: new Date(Date.now() - 10 * 24 * 3600 * 1000) });
const demoA = (await getConsultationBySlug(dbA.db, "avis-saint-amand"))!;
const sent = await seedAnswers(dbA.db, demoA, { count: 6, seed: 7, moderatorId: "00000000-0000-0000-0000-000000000000" });
const publishedId = await createConsultation(dbA.db, { ...base, slug: "donnees-saint-amand", status: "closed" });
await dbA.db
  .update(consultations)
  .set({ openDataPublishedAt: new Date(), figuresPublishedAt: new Date(), figuresVersion: 1 })
  .where(eq(consultations.id, publishedId));
out.receiptsA = sent.map((s) => s.receiptCode);
out.codesA = codes.a;
out.shortA = shortCodeFor(demoA.id);
out.slug = base.slug;
out.publishedA = "donnees-saint-amand";
await dbA.close();
await dbB.close();
console.log(JSON.stringify(out));
