import { eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { consultations, meta } from "#db/schema";
import { demoConsultation, DEMO_SLUG, DEMO_SMS_KEYWORD } from "./demo";
import { createConsultation } from "./queries.server";
import { seedSettings } from "../settings/settings.server";

/**
 * Seeds the demo consultation once per database. The marker row and the
 * consultation are written in one transaction, so a restart (or a second
 * process starting at the same moment) never seeds twice, and an official who
 * deletes the demo does not see it come back.
 */
export async function seedDemo(db: Db, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const marked = await tx.insert(meta).values({ key: "demo_seeded", value: now.toISOString() }).onConflictDoNothing().returning({ key: meta.key });
    if (marked.length === 0) return false;
    const existing = await tx.select({ id: consultations.id }).from(consultations).where(eq(consultations.slug, DEMO_SLUG));
    if (existing.length > 0) return false;
    // The demo answers by SMS too: residents text its keyword (decision 066).
    await createConsultation(tx, { ...demoConsultation(now), smsKeyword: DEMO_SMS_KEYWORD });
    await seedSettings(tx);
    return true;
  });
}
