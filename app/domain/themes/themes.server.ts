/**
 * A consultation's codebook and the tags on its free text. Every change is audited in the
 * transaction that makes it. Answers are the `answers` rows that hold a text (text
 * questions and "Other" texts); a hidden answer is never tagged, listed or counted here.
 */
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "#db/client";
import { answers, answerThemes, responses, themeRejections, themes, type Bilingual, type ThemeKeywords } from "#db/schema";
import { audit } from "../audit/audit.server";

/** Representative quotes a theme may have. */
export const MAX_QUOTES = 3;

export interface ThemeInput {
  labels: Bilingual<string>;
  description: Bilingual<string>;
  keywords: ThemeKeywords;
}

export interface Theme extends ThemeInput {
  id: string;
  code: string;
  retiredAt: Date | null;
  mergedInto: string | null;
  /** Visible answers tagged with it. */
  count: number;
  /** Its representative quotes (visible answers only). */
  quotes: number;
}

/**
 * Why a change to the codebook or its tags is not made: no such theme here, a label another
 * theme has, a theme merged into itself, a retired theme, none of the answers picked is a visible
 * text (or tagged), an answer the theme is not on, a theme with its quotes already, or (accepting
 * or turning down suggestions) none of the groups picked is still suggested.
 */
export type ThemeRefusal = "not_found" | "duplicate_label" | "same_theme" | "retired" | "no_answers" | "not_tagged" | "too_many_quotes" | "suggestions_changed";
export type ThemeResult<T = object> = ({ ok: true } & T) | { ok: false; reason: ThemeRefusal };

/** Answers of a consultation that hold a visible text, as a condition on `answers`. */
const visibleTextOf = (consultationId: string) =>
  and(
    isNotNull(answers.text),
    eq(answers.hidden, false),
    sql`${answers.responseId} in (select ${responses.id} from ${responses} where ${responses.consultationId} = ${consultationId})`,
  );

/** Every theme of a consultation, active first, with its counts of visible tagged answers and quotes. */
export async function listThemes(db: DbOrTx, consultationId: string): Promise<Theme[]> {
  const rows = await queryRows<{
    id: string;
    code: string;
    labels: Bilingual<string>;
    description: Bilingual<string>;
    keywords: ThemeKeywords;
    retired_at: string | Date | null;
    merged_into: string | null;
    n: number;
    quotes: number;
  }>(
    db,
    sql`select t.id, t.code, t.labels, t.description, t.keywords, t.retired_at, t.merged_into,
          count(a.id)::int as n, count(a.id) filter (where at.quote)::int as quotes
        from themes t
        left join answer_themes at on at.theme_id = t.id
        left join answers a on a.id = at.answer_id and a.text is not null and not a.hidden
        where t.consultation_id = ${consultationId}
        group by t.id
        order by (t.retired_at is not null), t.created_at, t.code`,
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    labels: r.labels,
    description: r.description,
    keywords: r.keywords,
    retiredAt: r.retired_at ? new Date(r.retired_at) : null,
    mergedInto: r.merged_into,
    count: Number(r.n),
    quotes: Number(r.quotes),
  }));
}

async function activeTheme(db: DbOrTx, consultationId: string, themeId: string) {
  if (!UUID.test(themeId)) return null;
  const [t] = await db
    .select()
    .from(themes)
    .where(and(eq(themes.id, themeId), eq(themes.consultationId, consultationId)))
    .for("update");
  return t ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function labelTaken(db: DbOrTx, consultationId: string, labels: Bilingual<string>, except: string | null): Promise<boolean> {
  const rows = await db
    .select({ id: themes.id, labels: themes.labels })
    .from(themes)
    .where(and(eq(themes.consultationId, consultationId), isNull(themes.retiredAt)));
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
  return rows.some((r) => r.id !== except && (same(r.labels.fr, labels.fr) || same(r.labels.en, labels.en)));
}

export async function createTheme(db: Db, actorId: string, consultationId: string, input: ThemeInput): Promise<ThemeResult<{ id: string; code: string }>> {
  return db.transaction(async (tx) => {
    // One codebook change at a time per consultation: codes are handed out in order.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`themes:${consultationId}`}))`);
    if (await labelTaken(tx, consultationId, input.labels, null)) return { ok: false, reason: "duplicate_label" } as const;
    const [{ next }] = await queryRows<{ next: number }>(
      tx,
      sql`select coalesce(max(substring(code from 2)::int), 0) + 1 as next from themes where consultation_id = ${consultationId}`,
    );
    const code = `t${Number(next)}`;
    const [row] = await tx
      .insert(themes)
      .values({ consultationId, code, ...input })
      .returning({ id: themes.id });
    await audit(tx, { actorId, action: "themes.create", targetType: "theme", targetId: row.id, details: { consultationId, code, labels: input.labels } });
    return { ok: true, id: row.id, code } as const;
  });
}

/** Renames a theme and sets its description and keywords. */
export async function updateTheme(db: Db, actorId: string, consultationId: string, themeId: string, input: ThemeInput): Promise<ThemeResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`themes:${consultationId}`}))`);
    const t = await activeTheme(tx, consultationId, themeId);
    if (!t) return { ok: false, reason: "not_found" } as const;
    if (t.retiredAt) return { ok: false, reason: "retired" } as const;
    if (await labelTaken(tx, consultationId, input.labels, themeId)) return { ok: false, reason: "duplicate_label" } as const;
    await tx.update(themes).set(input).where(eq(themes.id, themeId));
    await audit(tx, {
      actorId,
      action: "themes.update",
      targetType: "theme",
      targetId: themeId,
      details: { before: { labels: t.labels, description: t.description, keywords: t.keywords }, after: input },
    });
    return { ok: true } as const;
  });
}

/** Retires a theme (it leaves suggestions and outputs, its tags stay) or brings it back. */
export async function retireTheme(db: Db, actorId: string, consultationId: string, themeId: string, retire: boolean): Promise<ThemeResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`themes:${consultationId}`}))`);
    const t = await activeTheme(tx, consultationId, themeId);
    if (!t || t.mergedInto) return { ok: false, reason: "not_found" } as const;
    if (!retire && (await labelTaken(tx, consultationId, t.labels, themeId))) return { ok: false, reason: "duplicate_label" } as const;
    await tx
      .update(themes)
      .set({ retiredAt: retire ? new Date() : null })
      .where(eq(themes.id, themeId));
    await audit(tx, { actorId, action: retire ? "themes.retire" : "themes.restore", targetType: "theme", targetId: themeId, details: { labels: t.labels } });
    return { ok: true } as const;
  });
}

/**
 * Merges `sourceId` into `targetId`: the source's tags move to the target (an answer
 * tagged with both keeps one tag), its keywords join the target's, its marked quotes
 * stay marked while the target has room, and the source is retired, naming the target.
 */
export async function mergeThemes(
  db: Db,
  actorId: string,
  consultationId: string,
  sourceId: string,
  targetId: string,
): Promise<ThemeResult<{ moved: number }>> {
  if (sourceId === targetId) return { ok: false, reason: "same_theme" };
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`themes:${consultationId}`}))`);
    const source = await activeTheme(tx, consultationId, sourceId);
    const target = await activeTheme(tx, consultationId, targetId);
    if (!source || !target) return { ok: false, reason: "not_found" } as const;
    if (source.retiredAt || target.retiredAt) return { ok: false, reason: "retired" } as const;
    const moved = await queryRows<{ answer_id: number }>(
      tx,
      sql`insert into answer_themes (answer_id, theme_id, quote, tagged_by, tagged_at)
          select answer_id, ${targetId}, false, tagged_by, tagged_at from answer_themes where theme_id = ${sourceId}
          on conflict do nothing returning answer_id`,
    );
    // The source's quotes, oldest tag first, while the target has fewer than MAX_QUOTES.
    await tx.execute(
      sql`update answer_themes set quote = true where theme_id = ${targetId} and answer_id in (
            select s.answer_id from answer_themes s join answers a on a.id = s.answer_id
            where s.theme_id = ${sourceId} and s.quote and not a.hidden
            order by s.tagged_at, s.answer_id
            limit greatest(0, ${MAX_QUOTES} - (select count(*) from answer_themes q join answers qa on qa.id = q.answer_id
                                                 where q.theme_id = ${targetId} and q.quote and not qa.hidden)))`,
    );
    await tx.delete(answerThemes).where(eq(answerThemes.themeId, sourceId));
    await tx.execute(
      sql`insert into theme_rejections (answer_id, theme_id) select answer_id, ${targetId} from theme_rejections where theme_id = ${sourceId}
          on conflict do nothing`,
    );
    await tx.delete(themeRejections).where(eq(themeRejections.themeId, sourceId));
    const keywords: ThemeKeywords = {
      fr: mergeLists(target.keywords.fr, source.keywords.fr),
      en: mergeLists(target.keywords.en, source.keywords.en),
    };
    await tx.update(themes).set({ keywords }).where(eq(themes.id, targetId));
    await tx.update(themes).set({ retiredAt: new Date(), mergedInto: targetId }).where(eq(themes.id, sourceId));
    await audit(tx, {
      actorId,
      action: "themes.merge",
      targetType: "theme",
      targetId: sourceId,
      details: { into: targetId, sourceCode: source.code, targetCode: target.code, labels: source.labels, intoLabels: target.labels, moved: moved.length },
    });
    return { ok: true, moved: moved.length } as const;
  });
}

function mergeLists(a: string[], b: string[]): string[] {
  const seen = new Set(a.map((k) => k.toLocaleLowerCase()));
  return [...a, ...b.filter((k) => !seen.has(k.toLocaleLowerCase()) && seen.add(k.toLocaleLowerCase()))];
}

export type TagResult = { ok: true; changed: number } | { ok: false; reason: Extract<ThemeRefusal, "not_found" | "retired" | "no_answers"> };

/**
 * Puts a theme on answers (several at once). Only the consultation's visible texts are
 * tagged; an answer already tagged stays as it was. A rejected suggestion is forgotten.
 */
export async function tagAnswers(db: Db, actorId: string, consultationId: string, themeId: string, answerIds: number[]): Promise<TagResult> {
  const ids = [...new Set(answerIds.filter((n) => Number.isSafeInteger(n) && n > 0))];
  if (!ids.length) return { ok: false, reason: "no_answers" };
  return db.transaction(async (tx) => {
    const t = await activeTheme(tx, consultationId, themeId);
    if (!t) return { ok: false, reason: "not_found" } as const;
    if (t.retiredAt) return { ok: false, reason: "retired" } as const;
    const valid = await tx
      .select({ id: answers.id })
      .from(answers)
      .where(and(inArray(answers.id, ids), visibleTextOf(consultationId)));
    if (!valid.length) return { ok: false, reason: "no_answers" } as const;
    const rows = valid.map((v) => ({ answerId: v.id, themeId, taggedBy: actorId }));
    const inserted = await tx.insert(answerThemes).values(rows).onConflictDoNothing().returning({ id: answerThemes.answerId });
    await tx.delete(themeRejections).where(
      and(
        eq(themeRejections.themeId, themeId),
        inArray(
          themeRejections.answerId,
          valid.map((v) => v.id),
        ),
      ),
    );
    await audit(tx, {
      actorId,
      action: "themes.tag",
      targetType: "theme",
      targetId: themeId,
      details: { answers: inserted.map((r) => r.id), labels: t.labels },
    });
    return { ok: true, changed: inserted.length } as const;
  });
}

/** Takes a theme off answers. */
export async function untagAnswers(db: Db, actorId: string, consultationId: string, themeId: string, answerIds: number[]): Promise<TagResult> {
  const ids = [...new Set(answerIds.filter((n) => Number.isSafeInteger(n) && n > 0))];
  if (!ids.length) return { ok: false, reason: "no_answers" };
  return db.transaction(async (tx) => {
    const t = await activeTheme(tx, consultationId, themeId);
    if (!t) return { ok: false, reason: "not_found" } as const;
    const removed = await tx
      .delete(answerThemes)
      .where(
        and(
          eq(answerThemes.themeId, themeId),
          inArray(answerThemes.answerId, ids),
          sql`${answerThemes.answerId} in (select a.id from answers a join responses r on r.id = a.response_id where r.consultation_id = ${consultationId})`,
        ),
      )
      .returning({ id: answerThemes.answerId });
    if (!removed.length) return { ok: false, reason: "no_answers" } as const;
    await audit(tx, {
      actorId,
      action: "themes.untag",
      targetType: "theme",
      targetId: themeId,
      details: { answers: removed.map((r) => r.id), labels: t.labels },
    });
    return { ok: true, changed: removed.length } as const;
  });
}

export type QuoteResult = { ok: true } | { ok: false; reason: Extract<ThemeRefusal, "not_found" | "not_tagged" | "too_many_quotes"> };

/** Marks (or unmarks) a tagged, visible answer as one of the theme's representative quotes, at most MAX_QUOTES. */
export async function markQuote(db: Db, actorId: string, consultationId: string, themeId: string, answerId: number, quote: boolean): Promise<QuoteResult> {
  return db.transaction(async (tx) => {
    const t = await activeTheme(tx, consultationId, themeId);
    if (!t) return { ok: false, reason: "not_found" } as const;
    const [tag] = await tx
      .select({ quote: answerThemes.quote })
      .from(answerThemes)
      .innerJoin(answers, eq(answers.id, answerThemes.answerId))
      .where(and(eq(answerThemes.themeId, themeId), eq(answerThemes.answerId, answerId), visibleTextOf(consultationId)));
    if (!tag) return { ok: false, reason: "not_tagged" } as const;
    if (quote && !tag.quote) {
      const [{ n }] = await queryRows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from answer_themes q join answers a on a.id = q.answer_id where q.theme_id = ${themeId} and q.quote and not a.hidden`,
      );
      if (Number(n) >= MAX_QUOTES) return { ok: false, reason: "too_many_quotes" } as const;
    }
    await tx
      .update(answerThemes)
      .set({ quote })
      .where(and(eq(answerThemes.themeId, themeId), eq(answerThemes.answerId, answerId)));
    await audit(tx, {
      actorId,
      action: quote ? "themes.quote" : "themes.unquote",
      targetType: "theme",
      targetId: themeId,
      details: { answer: answerId, labels: t.labels },
    });
    return { ok: true } as const;
  });
}

/** Turns down suggestions: each (theme, answers) pair is not suggested again. */
export async function rejectSuggestions(db: Db, actorId: string, consultationId: string, themeId: string, answerIds: number[]): Promise<TagResult> {
  const ids = [...new Set(answerIds)];
  if (!ids.length) return { ok: false, reason: "no_answers" };
  return db.transaction(async (tx) => {
    const t = await activeTheme(tx, consultationId, themeId);
    if (!t) return { ok: false, reason: "not_found" } as const;
    const valid = await tx
      .select({ id: answers.id })
      .from(answers)
      .where(and(inArray(answers.id, ids), visibleTextOf(consultationId)));
    if (!valid.length) return { ok: false, reason: "no_answers" } as const;
    const inserted = await tx
      .insert(themeRejections)
      .values(valid.map((v) => ({ answerId: v.id, themeId })))
      .onConflictDoNothing()
      .returning({ id: themeRejections.answerId });
    await audit(tx, {
      actorId,
      action: "themes.reject",
      targetType: "theme",
      targetId: themeId,
      details: { answers: inserted.map((r) => r.id), labels: t.labels },
    });
    return { ok: true, changed: inserted.length } as const;
  });
}
