/** The audit log: who did what, when and why. Written in the same transaction as the change it records. */
import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { answers, auditLog, consultations, questions, responses, themes, users, type Bilingual } from "#db/schema";

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

export async function audit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    reason: entry.reason ?? null,
    details: entry.details ?? null,
  });
}

/** What a staff member downloaded: raw answers (CSV, JSON) or the summary's numbers. */
export type Download = "export.csv" | "export.json" | "export.summary";

/**
 * Records that a staff member downloaded a consultation's data. Only a request that
 * receives the data counts: a HEAD request (a link checker, a browser asking about the
 * file) receives none and is not recorded.
 */
export async function auditDownload(db: DbOrTx, method: string, entry: { actorId: string; download: Download; slug: string }): Promise<void> {
  if (method.toUpperCase() !== "GET") return;
  await audit(db, { actorId: entry.actorId, action: entry.download, targetType: "consultation", targetId: entry.slug });
}

/** Records that a staff member displayed a batch's letters (codes in clear); a HEAD request shows none. */
export async function auditCodesPrinted(db: DbOrTx, method: string, entry: { actorId: string; slug: string; batch: string; count: number }): Promise<void> {
  if (method.toUpperCase() !== "GET") return;
  await audit(db, {
    actorId: entry.actorId,
    action: "codes.print",
    targetType: "consultation",
    targetId: entry.slug,
    details: { batch: entry.batch, count: entry.count },
  });
}

export interface AuditFilter {
  action?: string;
  actorEmail?: string;
  /** A consultation's address: what was done to it, to its answers (moderation) and to its themes. */
  consultation?: string;
  from?: Date;
  to?: Date;
  limit?: number;
}

export async function listAudit(db: DbOrTx, filter: AuditFilter = {}) {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.actorEmail) where.push(eq(users.email, filter.actorEmail.toLowerCase()));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  if (filter.to) where.push(lt(auditLog.at, filter.to));
  if (filter.consultation)
    where.push(
      or(
        and(eq(auditLog.targetType, "consultation"), eq(auditLog.targetId, filter.consultation)),
        and(
          eq(auditLog.targetType, "answer"),
          sql`${auditLog.targetId} in (select ${answers.id}::text from ${answers} join ${responses} on ${responses.id} = ${answers.responseId} join ${consultations} on ${consultations.id} = ${responses.consultationId} where ${consultations.slug} = ${filter.consultation})`,
        ),
        and(
          eq(auditLog.targetType, "theme"),
          sql`${auditLog.targetId} in (select ${themes.id}::text from ${themes} join ${consultations} on ${consultations.id} = ${themes.consultationId} where ${consultations.slug} = ${filter.consultation})`,
        ),
      )!,
    );
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorEmail: users.email,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      reason: auditLog.reason,
      details: auditLog.details,
      /** The consultation's titles when the entry is about one that still exists. */
      titles: sql<{ fr: { title: string }; en: { title: string } } | null>`${consultations.texts}`,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(consultations, and(eq(auditLog.targetType, "consultation"), eq(consultations.slug, auditLog.targetId)))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit ?? 200);
  return withNames(db, rows);
}

/** What an entry names besides its consultation, as it is now: a theme (and the one it was merged into), a question. */
export interface AuditNames {
  theme: Bilingual<string> | null;
  into: Bilingual<string> | null;
  question: Bilingual<string> | null;
}

/** A consultation's titles (its texts, of which the title is read). */
type Titles = { fr: { title: string }; en: { title: string } } | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHUNK = 5_000;
const chunks = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));
const detail = (details: unknown, key: string): unknown => (details && typeof details === "object" ? (details as Record<string, unknown>)[key] : undefined);
const prompts = (texts: Bilingual<{ prompt: string }>): Bilingual<string> => ({ fr: texts.fr.prompt, en: texts.en.prompt });

/**
 * Names for entries that hold ids (a theme, a free-text answer, a question's code): the theme's
 * name and the question's wording in both languages, and the consultation they belong to, read
 * now in a few queries for the whole page (or CSV).
 */
async function withNames<R extends { action: string; targetType: string; targetId: string; details: unknown; titles: Titles }>(
  db: DbOrTx,
  rows: R[],
): Promise<(Omit<R, "titles"> & { titles: Titles; names: AuditNames })[]> {
  const themeIds = new Set<string>();
  const answerIds = new Set<number>();
  const slugs = new Set<string>();
  for (const r of rows) {
    if (r.targetType === "theme" && UUID.test(r.targetId)) themeIds.add(r.targetId);
    const into = detail(r.details, "into");
    if (typeof into === "string" && UUID.test(into)) themeIds.add(into);
    const answer = r.targetType === "answer" ? Number(r.targetId) : Number(detail(r.details, "answer"));
    if (Number.isSafeInteger(answer) && answer > 0) answerIds.add(answer);
    if (r.action.startsWith("question.") && r.targetType === "consultation") slugs.add(r.targetId);
  }
  const themeNames = new Map<string, { labels: Bilingual<string>; titles: Titles }>();
  for (const ids of chunks([...themeIds]))
    for (const t of await db
      .select({ id: themes.id, labels: themes.labels, titles: consultations.texts })
      .from(themes)
      .innerJoin(consultations, eq(consultations.id, themes.consultationId))
      .where(inArray(themes.id, ids)))
      themeNames.set(t.id, t);
  const answerNames = new Map<number, { question: Bilingual<string>; titles: Titles }>();
  for (const ids of chunks([...answerIds]))
    for (const a of await db
      .select({ id: answers.id, texts: questions.texts, titles: consultations.texts })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .innerJoin(consultations, eq(consultations.id, questions.consultationId))
      .where(inArray(answers.id, ids)))
      answerNames.set(a.id, { question: prompts(a.texts), titles: a.titles });
  const questionNames = new Map<string, Bilingual<string>>();
  for (const list of chunks([...slugs]))
    for (const q of await db
      .select({ slug: consultations.slug, code: questions.code, texts: questions.texts })
      .from(questions)
      .innerJoin(consultations, eq(consultations.id, questions.consultationId))
      .where(inArray(consultations.slug, list)))
      questionNames.set(`${q.slug}\n${q.code}`, prompts(q.texts));
  return rows.map((r) => {
    const theme = r.targetType === "theme" ? themeNames.get(r.targetId) : undefined;
    const into = themeNames.get(String(detail(r.details, "into")));
    const answer = answerNames.get(r.targetType === "answer" ? Number(r.targetId) : Number(detail(r.details, "answer")));
    const code = detail(r.details, "code");
    const question = r.action.startsWith("question.") && typeof code === "string" ? questionNames.get(`${r.targetId}\n${code}`) : undefined;
    return {
      ...r,
      titles: r.titles ?? theme?.titles ?? answer?.titles ?? null,
      names: { theme: theme?.labels ?? null, into: into?.labels ?? null, question: question ?? answer?.question ?? null },
    };
  });
}
