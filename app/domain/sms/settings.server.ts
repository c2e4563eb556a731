/**
 * A consultation's SMS settings, set by an official (decision 066): the keyword residents text to
 * start it (unique among the commune's consultations, printed on letters and the consultation
 * page) and the "one answer per phone" rule. Audited.
 */
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { consultations } from "#db/schema";
import { audit } from "../audit/audit.server";
import { afterCommit } from "../consultations/cache.server";
import type { ConsultationView } from "../consultations/types";
import { commandOf } from "./replies";

/** Words the conversation already reads as commands: no keyword may be one of them. */
export const RESERVED_WORDS = [
  "STOP",
  "ARRET",
  "ARRETER",
  "STOPALL",
  "UNSUBSCRIBE",
  "QUIT",
  "AIDE",
  "HELP",
  "INFO",
  "EN",
  "ENGLISH",
  "ANGLAIS",
  "HELLO",
  "HI",
  "FR",
  "FRANCAIS",
  "FRENCH",
  "BONJOUR",
  "SALUT",
  "OUI",
  "O",
  "YES",
  "Y",
  "OK",
  "NON",
  "NO",
  "PASSER",
  "PASSE",
  "SKIP",
  "CORRIGER",
  "CORRIGE",
  "CORRECTION",
  "FIX",
  "CHANGE",
  "CHANGER",
  "EDIT",
  "START",
  "UNSTOP",
] as const;

/** The form: a keyword (2 to 20 letters or digits, any case, accents dropped; empty: none) and the rule. */
export const smsSettingsSchema = z.object({
  intent: z.literal("settings"),
  keyword: z
    .string()
    .max(60, "smsKeywordFormat")
    .default("")
    .transform((v) => commandOf(v))
    .refine((v) => v === "" || /^[A-Z0-9]{2,20}$/.test(v), "smsKeywordFormat")
    .refine((v) => !(RESERVED_WORDS as readonly string[]).includes(v), "smsKeywordReserved"),
  onePerPhone: z.boolean().default(false),
});

export type SmsSettingsRefusal = "keyword_taken";

export async function setSmsSettings(
  db: Db,
  actorId: string,
  c: Pick<ConsultationView, "id" | "slug" | "smsKeyword" | "smsOnePerPhone">,
  settings: { keyword: string; onePerPhone: boolean },
): Promise<{ ok: true } | { ok: false; reason: SmsSettingsRefusal }> {
  const keyword = settings.keyword || null;
  const [taken] = keyword
    ? await db
        .select({ slug: consultations.slug })
        .from(consultations)
        .where(and(eq(consultations.smsKeyword, keyword), ne(consultations.id, c.id)))
    : [];
  if (taken) return { ok: false, reason: "keyword_taken" };
  try {
    return await afterCommit(c.slug, () =>
      db.transaction(async (tx) => {
        await tx.update(consultations).set({ smsKeyword: keyword, smsOnePerPhone: settings.onePerPhone }).where(eq(consultations.id, c.id));
        await audit(tx, {
          actorId,
          action: "sms.settings",
          targetType: "consultation",
          targetId: c.slug,
          details: { from: { keyword: c.smsKeyword, onePerPhone: c.smsOnePerPhone }, to: { keyword, onePerPhone: settings.onePerPhone } },
        });
        return { ok: true } as const;
      }),
    );
  } catch (error) {
    // Another official took the same keyword for another consultation at the same moment.
    if (isUniqueViolation(error, "consultations_sms_keyword_key")) return { ok: false, reason: "keyword_taken" };
    throw error;
  }
}
