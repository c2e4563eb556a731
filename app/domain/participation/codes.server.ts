/**
 * Participation codes: single-use codes a municipality prints and mails, one
 * per household. Only a SHA-256 of the normalised code is stored.
 */
import { createHash, randomInt } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import type { Db, Statements, DbOrTx } from "#db/client";
import { participationCodes } from "#db/schema";
import { audit } from "../audit/audit.server";
import type { ConsultationView } from "../consultations/types";
import { RECEIPT_ALPHABET } from "../responses/receipt";

export const CODE_LENGTH = 10;

/** What a person types, made comparable: capitals, no spaces or dashes. */
export function normaliseParticipationCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-–.]/g, "");
}

export function hashParticipationCode(code: string): string {
  return createHash("sha256")
    .update(`quorum-code:${normaliseParticipationCode(code)}`)
    .digest("hex");
}

/** A fresh code, e.g. "K7M3X-9QXFA" (about 50 bits). */
export function generateParticipationCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** How many codes a consultation has, and how many were used. */
export async function countParticipationCodes(db: DbOrTx, consultationId: string): Promise<{ total: number; used: number }> {
  const [row] = await db
    .select({ total: count(), used: count(participationCodes.usedAt) })
    .from(participationCodes)
    .where(eq(participationCodes.consultationId, consultationId));
  return { total: Number(row.total), used: Number(row.used) };
}

/** Why codes are not made: the consultation takes no codes. */
export type GenerateRefusal = "not_code_mode";

export type GenerateResult = { ok: true; codes: string[] } | { ok: false; reason: GenerateRefusal };

/** An official asks for `count` more codes: created, recorded in the audit log, returned in clear this once. */
export async function generateParticipationCodes(
  db: Db,
  actorId: string,
  c: Pick<ConsultationView, "id" | "slug" | "mode">,
  count: number,
): Promise<GenerateResult> {
  if (c.mode !== "code") return { ok: false, reason: "not_code_mode" };
  return db.transaction(async (tx) => {
    const codes = await createParticipationCodes(tx, c.id, count);
    await audit(tx, { actorId, action: "codes.generate", targetType: "consultation", targetId: c.slug, details: { count: codes.length } });
    return { ok: true, codes } as const;
  });
}

/** Creates `count` codes for a consultation; returns them in clear, the only time they exist in clear. */
export async function createParticipationCodes(db: DbOrTx, consultationId: string, count: number): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateParticipationCode());
  const list = [...codes];
  for (let i = 0; i < list.length; i += 500) {
    await db.insert(participationCodes).values(list.slice(i, i + 500).map((code) => ({ consultationId, codeHash: hashParticipationCode(code) })));
  }
  return list;
}

/** Why a participation code is not spent: it is no code of this consultation (or was voided), or it was used. */
export type SpendRefusal = "code_invalid" | "code_used";

export type SpendResult = { ok: true } | { ok: false; reason: SpendRefusal };

/** Marks a code used, inside the caller's transaction (on the answer's path, hence plain SQL). */
export async function spendParticipationCode(tx: Statements, consultationId: string, code: string, now: Date): Promise<SpendResult> {
  const hash = hashParticipationCode(code);
  const spent = await tx.run(
    "update participation_codes set used_at = $3::timestamptz where code_hash = $1 and consultation_id = $2::uuid and used_at is null and voided_at is null returning id",
    [hash, consultationId, now.toISOString()],
  );
  if (spent.length === 1) return { ok: true };
  const [known] = await tx.run<{ consultation_id: string; voided: boolean }>(
    "select consultation_id, voided_at is not null as voided from participation_codes where code_hash = $1",
    [hash],
  );
  // A code of a cancelled batch is refused like a code that never existed.
  return { ok: false, reason: known && known.consultation_id === consultationId && !known.voided ? "code_used" : "code_invalid" };
}

/**
 * What spending the code would say, without spending it: for a form refused for its answers, so
 * the resident hears of a wrong code at the same time as the rest (the code is spent only with
 * an answer that is stored).
 */
export async function checkParticipationCode(db: DbOrTx, consultationId: string, code: string): Promise<SpendResult> {
  const [known] = await db
    .select({ consultationId: participationCodes.consultationId, usedAt: participationCodes.usedAt, voidedAt: participationCodes.voidedAt })
    .from(participationCodes)
    .where(eq(participationCodes.codeHash, hashParticipationCode(code)));
  if (!known || known.consultationId !== consultationId || known.voidedAt) return { ok: false, reason: "code_invalid" };
  return known.usedAt ? { ok: false, reason: "code_used" } : { ok: true };
}

/** The same, inside a drizzle transaction (paper answers, which are not on the busy path). */
export async function spendParticipationCodeIn(tx: DbOrTx, consultationId: string, code: string, now: Date): Promise<SpendResult> {
  const hash = hashParticipationCode(code);
  const spent = await tx
    .update(participationCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(participationCodes.codeHash, hash),
        eq(participationCodes.consultationId, consultationId),
        isNull(participationCodes.usedAt),
        isNull(participationCodes.voidedAt),
      ),
    )
    .returning({ id: participationCodes.id });
  if (spent.length === 1) return { ok: true };
  const [known] = await tx
    .select({ consultationId: participationCodes.consultationId, voidedAt: participationCodes.voidedAt })
    .from(participationCodes)
    .where(eq(participationCodes.codeHash, hash));
  return { ok: false, reason: known && known.consultationId === consultationId && !known.voidedAt ? "code_used" : "code_invalid" };
}
