import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { consultations, options, questions, users } from "#db/schema";
import type { ConsultationSpec, ConsultationView, QuestionView } from "./types";

type ConsultationRow = typeof consultations.$inferSelect;

export interface ConsultationListItem {
  slug: string;
  texts: ConsultationRow["texts"];
  closesAt: Date | null;
  outcomePublishedAt: Date | null;
  /** The public results page exists (results or open data published). */
  hasResults: boolean;
  /** Bumped on every edit: a copy saved on a device at another version is stale. */
  version: number;
}

const listColumns = {
  slug: consultations.slug,
  texts: consultations.texts,
  closesAt: consultations.closesAt,
  outcomePublishedAt: consultations.outcomePublishedAt,
  hasResults: sql<boolean>`(${consultations.resultsPublishedAt} is not null or ${consultations.openDataPublishedAt} is not null)`,
  version: consultations.version,
};

/** Consultations residents can answer now, closing soonest first. */
export async function listOpenConsultations(db: DbOrTx, now = new Date()): Promise<ConsultationListItem[]> {
  return db
    .select(listColumns)
    .from(consultations)
    .where(and(eq(consultations.status, "open"), or(isNull(consultations.closesAt), gt(consultations.closesAt, now))))
    .orderBy(asc(consultations.closesAt), asc(consultations.slug));
}

/** Closed consultations whose outcome or results residents can read, newest first. */
export async function listConsultationsWithOutcome(db: DbOrTx): Promise<ConsultationListItem[]> {
  return db
    .select(listColumns)
    .from(consultations)
    .where(
      and(
        inArray(consultations.status, ["closed", "archived"]),
        or(isNotNull(consultations.outcomePublishedAt), isNotNull(consultations.resultsPublishedAt), isNotNull(consultations.openDataPublishedAt)),
      ),
    )
    .orderBy(
      desc(sql`coalesce(${consultations.outcomePublishedAt}, ${consultations.openDataPublishedAt}, ${consultations.resultsPublishedAt})`),
      asc(consultations.slug),
    );
}

/** The whole consultation with its questionnaire, or null. */
export async function getConsultationBySlug(db: DbOrTx, slug: string): Promise<ConsultationView | null> {
  const [row] = await db.select().from(consultations).where(eq(consultations.slug, slug)).limit(1);
  if (!row) return null;
  const questionRows = await db.select().from(questions).where(eq(questions.consultationId, row.id)).orderBy(asc(questions.position));
  const optionRows = questionRows.length
    ? await db
        .select()
        .from(options)
        .where(
          inArray(
            options.questionId,
            questionRows.map((q) => q.id),
          ),
        )
        .orderBy(asc(options.position))
    : [];
  const qs: QuestionView[] = questionRows.map((q) => ({
    id: q.id,
    code: q.code,
    position: q.position,
    kind: q.kind,
    required: q.required,
    demographic: q.demographic,
    allowOther: q.allowOther,
    allowPreferNot: q.allowPreferNot,
    minChoices: q.minChoices,
    maxChoices: q.maxChoices,
    maxLength: q.maxLength,
    texts: q.texts,
    options: optionRows.filter((o) => o.questionId === q.id).map((o) => ({ id: o.id, code: o.code, position: o.position, labels: o.labels })),
  }));
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    mode: row.mode,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
    texts: row.texts,
    outcome: row.outcome,
    outcomePublishedAt: row.outcomePublishedAt,
    openDataPublishedAt: row.openDataPublishedAt,
    resultsPublishedAt: row.resultsPublishedAt,
    textsPublishedAt: row.textsPublishedAt,
    retentionDays: row.retentionDays,
    paperGraceDays: row.paperGraceDays,
    figuresPublishedAt: row.figuresPublishedAt,
    figuresVersion: row.figuresVersion,
    figuresUpdatedAt: row.figuresUpdatedAt,
    outcomeFiguresVersion: row.outcomeFiguresVersion,
    version: row.version,
    smsKeyword: row.smsKeyword,
    smsOnePerPhone: row.smsOnePerPhone,
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
    questions: qs,
  };
}

/**
 * Who made the consultation's current version, and when: what a conflict page tells the official
 * whose save was refused. `by` is the staff member's email, or null for an automatic change.
 */
export async function lastSave(db: DbOrTx, c: Pick<ConsultationView, "updatedAt" | "updatedBy">): Promise<{ at: Date; by: string | null }> {
  if (!c.updatedBy) return { at: c.updatedAt, by: null };
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, c.updatedBy)).limit(1);
  return { at: c.updatedAt, by: user?.email ?? null };
}

/** Creates a consultation with its questions and options in one transaction. Returns its id. */
export async function createConsultation(db: DbOrTx, spec: ConsultationSpec): Promise<string> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .insert(consultations)
      .values({
        slug: spec.slug,
        status: spec.status ?? "draft",
        mode: spec.mode ?? "open",
        opensAt: spec.opensAt ?? null,
        closesAt: spec.closesAt ?? null,
        texts: spec.texts,
        outcome: spec.outcome ?? null,
        outcomePublishedAt: spec.outcomePublishedAt ?? null,
        smsKeyword: spec.smsKeyword ?? null,
      })
      .returning({ id: consultations.id });
    for (const [i, q] of spec.questions.entries()) {
      const [qRow] = await tx
        .insert(questions)
        .values({
          consultationId: c.id,
          code: q.code,
          position: i + 1,
          kind: q.kind,
          required: q.demographic ? false : (q.required ?? false),
          demographic: q.demographic ?? null,
          allowOther: q.allowOther ?? false,
          allowPreferNot: q.demographic ? true : (q.allowPreferNot ?? false),
          minChoices: q.minChoices ?? null,
          maxChoices: q.maxChoices ?? null,
          maxLength: q.maxLength ?? null,
          texts: q.texts,
        })
        .returning({ id: questions.id });
      if (q.options?.length) {
        await tx.insert(options).values(q.options.map((o, j) => ({ questionId: qRow.id, code: o.code, position: j + 1, labels: o.labels })));
      }
    }
    return c.id;
  });
}

export interface StaffListItem {
  slug: string;
  status: ConsultationRow["status"];
  mode: ConsultationRow["mode"];
  texts: ConsultationRow["texts"];
  opensAt: Date | null;
  closesAt: Date | null;
  updatedAt: Date;
}

/** Every consultation, for staff, most recently changed first. */
export async function listAllConsultations(db: DbOrTx): Promise<StaffListItem[]> {
  return db
    .select({
      slug: consultations.slug,
      status: consultations.status,
      mode: consultations.mode,
      texts: consultations.texts,
      opensAt: consultations.opensAt,
      closesAt: consultations.closesAt,
      updatedAt: consultations.updatedAt,
    })
    .from(consultations)
    .orderBy(desc(consultations.updatedAt));
}
