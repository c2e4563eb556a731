/**
 * Batches of participation codes: a named set printed together as letters (e.g. "rang
 * Saint-Joseph", 40 letters). A batch's codes are not stored: each is derived from a server
 * secret, the batch id and its number in the batch (HMAC-SHA-256), and only its hash is kept,
 * as for every code. So a batch can be printed again until it is cancelled, and the database
 * alone — a backup, a leak — gives no code a household could answer with (decision 037).
 */
import { createHmac } from "node:crypto";
import { and, asc, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { codeBatches, participationCodes } from "#db/schema";
import { audit } from "../audit/audit.server";
import type { ConsultationView } from "../consultations/types";
import { RECEIPT_ALPHABET } from "../responses/receipt";
import { CODE_LENGTH, hashParticipationCode } from "./codes.server";

export const MAX_BATCH_SIZE = 5000;

/** Code number `index` (1…size) of a batch: HMAC-SHA-256(secret, batch id and index), written like every code. */
export function deriveBatchCode(secret: string, batchId: string, index: number): string {
  const digest = createHmac("sha256", secret).update(`quorum-batch:${batchId.toLowerCase()}:${index}`).digest();
  // 10 symbols of 31 from the first 64 bits, by long division (as receipts are written): about 50 bits.
  const n = Array.from(digest.subarray(0, 8));
  const base = RECEIPT_ALPHABET.length;
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) {
    let remainder = 0;
    for (let j = 0; j < n.length; j++) {
      const current = remainder * 256 + n[j];
      n[j] = Math.floor(current / base);
      remainder = current % base;
    }
    code += RECEIPT_ALPHABET[remainder];
  }
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export interface BatchInput {
  consultation: Pick<ConsultationView, "id" | "slug" | "mode">;
  label: string;
  size: number;
  /** The idempotency key the form carried (made when it was rendered). */
  requestId: string;
  secret: string;
}

/** Why a batch is not made: the consultation takes no codes, or the form's request id was another consultation's. */
export type CreateBatchRefusal = "not_code_mode" | "request_reused";

export type CreateBatchResult = { ok: true; batchId: string; created: boolean } | { ok: false; reason: CreateBatchRefusal };

/**
 * Creates a batch and its codes, audited — or, when a batch was already made from this form
 * (a reload, a double click, the back button), answers with that one and creates nothing.
 */
export async function createCodeBatch(db: Db, actorId: string, input: BatchInput): Promise<CreateBatchResult> {
  const { consultation: c } = input;
  if (c.mode !== "code") return { ok: false, reason: "not_code_mode" };
  const existing = async () => {
    const [row] = await db
      .select({ id: codeBatches.id, consultationId: codeBatches.consultationId })
      .from(codeBatches)
      .where(eq(codeBatches.requestId, input.requestId));
    if (!row) return null;
    return row.consultationId === c.id ? ({ ok: true, batchId: row.id, created: false } as const) : ({ ok: false, reason: "request_reused" } as const);
  };
  const before = await existing();
  if (before) return before;
  // Two codes derived alike are as unlikely as two random ones (about 2^-50 a pair); a new batch id draws anew.
  for (let attempt = 0; ; attempt++) {
    const batchId = crypto.randomUUID();
    try {
      await db.transaction(async (tx) => {
        await tx
          .insert(codeBatches)
          .values({ id: batchId, consultationId: c.id, label: input.label, size: input.size, requestId: input.requestId, createdBy: actorId });
        const rows = Array.from({ length: input.size }, (_, i) => ({
          consultationId: c.id,
          codeHash: hashParticipationCode(deriveBatchCode(input.secret, batchId, i + 1)),
          batchId,
          batchIndex: i + 1,
        }));
        for (let i = 0; i < rows.length; i += 500) await tx.insert(participationCodes).values(rows.slice(i, i + 500));
        await audit(tx, {
          actorId,
          action: "codes.batch",
          targetType: "consultation",
          targetId: c.slug,
          details: { batch: batchId, label: input.label, count: input.size },
        });
      });
      return { ok: true, batchId, created: true };
    } catch (error) {
      // The same form sent twice at once: the other request made the batch.
      if (isUniqueViolation(error, "code_batches_request_id_key")) {
        const made = await existing();
        if (made) return made;
      }
      if (isUniqueViolation(error, "participation_codes_hash_key") && attempt < 2) continue;
      throw error;
    }
  }
}

export interface BatchSummary {
  id: string;
  label: string;
  size: number;
  createdAt: Date;
  cancelledAt: Date | null;
  used: number;
  voided: number;
}

/** A consultation's batches, oldest first, with how many of their codes were used (and voided). */
export async function listCodeBatches(db: DbOrTx, consultationId: string): Promise<BatchSummary[]> {
  const rows = await db
    .select({
      id: codeBatches.id,
      label: codeBatches.label,
      size: codeBatches.size,
      createdAt: codeBatches.createdAt,
      cancelledAt: codeBatches.cancelledAt,
      used: count(participationCodes.usedAt),
      voided: count(participationCodes.voidedAt),
    })
    .from(codeBatches)
    .leftJoin(participationCodes, eq(participationCodes.batchId, codeBatches.id))
    .where(eq(codeBatches.consultationId, consultationId))
    .groupBy(codeBatches.id)
    .orderBy(asc(codeBatches.createdAt), asc(codeBatches.id));
  return rows.map((r) => ({ ...r, used: Number(r.used), voided: Number(r.voided) }));
}

export async function getCodeBatch(db: DbOrTx, consultationId: string, batchId: string): Promise<BatchSummary | null> {
  return (await listCodeBatches(db, consultationId)).find((b) => b.id === batchId) ?? null;
}

/**
 * Why a batch's letters are not printed: no such batch here, cancelled, or the code secret changed
 * since the batch was made (its codes can no longer be derived).
 */
export type LettersRefusal = "not_found" | "cancelled" | "secret_changed";

export type BatchCodesResult = { ok: true; codes: { index: number; code: string }[]; used: number } | { ok: false; reason: LettersRefusal };

/**
 * The codes of a batch still to be used, to print (again): derived anew and checked against the
 * stored hashes, so a changed secret is told rather than printed as codes that would not work.
 */
export async function batchCodesToPrint(db: DbOrTx, consultationId: string, batchId: string, secret: string): Promise<BatchCodesResult> {
  const batch = await getCodeBatch(db, consultationId, batchId);
  if (!batch) return { ok: false, reason: "not_found" };
  if (batch.cancelledAt) return { ok: false, reason: "cancelled" };
  const rows = await db
    .select({ index: participationCodes.batchIndex, hash: participationCodes.codeHash })
    .from(participationCodes)
    .where(and(eq(participationCodes.batchId, batchId), isNull(participationCodes.usedAt), isNull(participationCodes.voidedAt)))
    .orderBy(asc(participationCodes.batchIndex));
  const codes: { index: number; code: string }[] = [];
  for (const row of rows) {
    const code = deriveBatchCode(secret, batchId, row.index!);
    if (hashParticipationCode(code) !== row.hash) return { ok: false, reason: "secret_changed" };
    codes.push({ index: row.index!, code });
  }
  return { ok: true, codes, used: batch.used };
}

/** Why a batch is not cancelled: no such batch here, or cancelled already. */
export type CancelBatchRefusal = "not_found" | "cancelled";

export type CancelResult = { ok: true; voided: number } | { ok: false; reason: CancelBatchRefusal };

/** Cancels a batch: its unused codes are void (refused like unknown ones); used ones keep their answers. Audited. */
export async function cancelCodeBatch(
  db: Db,
  actorId: string,
  c: Pick<ConsultationView, "id" | "slug">,
  batchId: string,
  now = new Date(),
): Promise<CancelResult> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .update(codeBatches)
      .set({ cancelledAt: now })
      .where(and(eq(codeBatches.id, batchId), eq(codeBatches.consultationId, c.id), isNull(codeBatches.cancelledAt)))
      .returning({ label: codeBatches.label });
    if (!batch) {
      const [known] = await tx
        .select({ id: codeBatches.id })
        .from(codeBatches)
        .where(and(eq(codeBatches.id, batchId), eq(codeBatches.consultationId, c.id), isNotNull(codeBatches.cancelledAt)));
      return { ok: false, reason: known ? "cancelled" : "not_found" } as const;
    }
    const voided = await tx
      .update(participationCodes)
      .set({ voidedAt: now })
      .where(and(eq(participationCodes.batchId, batchId), isNull(participationCodes.usedAt), isNull(participationCodes.voidedAt)))
      .returning({ id: participationCodes.id });
    await audit(tx, {
      actorId,
      action: "codes.cancel",
      targetType: "consultation",
      targetId: c.slug,
      details: { batch: batchId, label: batch.label, voided: voided.length },
    });
    return { ok: true, voided: voided.length } as const;
  });
}

/** Codes made before batches existed (one-time printing), as counts. */
export async function countUnbatchedCodes(db: DbOrTx, consultationId: string): Promise<{ total: number; used: number }> {
  const [row] = await db
    .select({ total: count(), used: sql<number>`count(${participationCodes.usedAt})` })
    .from(participationCodes)
    .where(and(eq(participationCodes.consultationId, consultationId), isNull(participationCodes.batchId)));
  return { total: Number(row.total), used: Number(row.used) };
}
