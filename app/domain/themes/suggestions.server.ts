/**
 * Suggested themes for untagged answers, explained (decision 030): a theme is suggested for
 * a visible, untagged free text when one of its keywords matches (Snowball stems, French
 * keywords with the French stemmer and English ones with the English stemmer, see
 * stems.ts); the words that matched are highlighted. Near-duplicates (the same set of stems)
 * form one group, so one decision covers the group. Nothing is tagged until a person
 * accepts (tagAnswers) or turns down (rejectSuggestions) groups (`decideSuggestions`).
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Db, type DbOrTx } from "#db/client";
import type { ThemeKeywords } from "#db/schema";
import { rejectSuggestions, tagAnswers, type ThemeResult } from "./themes.server";
import { analyse, duplicateKey, highlight, matchKeyword, prepareKeyword, type PreparedKeyword, type Segment } from "./stems";

export interface SuggestedAnswer {
  answerId: number;
  questionCode: string;
  /** The text in pieces, the matched words marked. */
  segments: Segment[];
}

export interface SuggestionGroup {
  /** Stable while the answers and keywords stay the same: what a form sends back to accept or reject. */
  id: string;
  themeId: string;
  /** The keywords that matched (as the moderator typed them). */
  keywords: string[];
  /** Near-duplicates: the first is shown in full, the others counted. */
  answers: SuggestedAnswer[];
}

export interface ThemeKeywordsRow {
  id: string;
  keywords: ThemeKeywords;
}

export interface TextRow {
  answerId: number;
  questionCode: string;
  text: string;
  /** Themes a person already turned down for this answer. */
  rejected: string[];
}

/** The pure part: texts and themes in, groups out (sorted by theme order, then largest group first). */
export function suggest(texts: TextRow[], themeList: ThemeKeywordsRow[]): SuggestionGroup[] {
  const prepared = themeList.map((t) => ({
    id: t.id,
    keywords: [...t.keywords.fr.map((k) => prepareKeyword(k, "fr")), ...t.keywords.en.map((k) => prepareKeyword(k, "en"))].filter(
      (k): k is PreparedKeyword => k !== null,
    ),
  }));
  const groups = new Map<string, SuggestionGroup & { order: number }>();
  for (const row of texts) {
    const analysed = analyse(row.text);
    if (!analysed.words.length) continue;
    let key: string | null = null;
    prepared.forEach((theme, order) => {
      if (!theme.keywords.length || row.rejected.includes(theme.id)) return;
      const hits = new Set<number>();
      const matched: string[] = [];
      for (const k of theme.keywords) {
        const m = matchKeyword(analysed, k);
        if (m) {
          m.forEach((i) => hits.add(i));
          matched.push(k.keyword);
        }
      }
      if (!matched.length) return;
      key ??= duplicateKey(analysed);
      const gid = createHash("sha256").update(`${theme.id}\n${key}`).digest("hex").slice(0, 20);
      const g = groups.get(gid) ?? { id: gid, themeId: theme.id, keywords: [], answers: [], order };
      for (const k of matched) if (!g.keywords.includes(k)) g.keywords.push(k);
      g.answers.push({ answerId: row.answerId, questionCode: row.questionCode, segments: highlight(analysed, hits) });
      groups.set(gid, g);
    });
  }
  return [...groups.values()]
    .sort((a, b) => a.order - b.order || b.answers.length - a.answers.length || a.answers[0].answerId - b.answers[0].answerId)
    .map(({ order: _order, ...g }) => g);
}

/** The consultation's visible free texts with no active theme, and what was rejected for each. */
export async function untaggedTexts(db: DbOrTx, consultationId: string): Promise<TextRow[]> {
  const rows = await queryRows<{ id: number; code: string; text: string; rejected: string[] | null }>(
    db,
    sql`select a.id, q.code, a.text,
          (select array_agg(j.theme_id::text) from theme_rejections j where j.answer_id = a.id) as rejected
        from answers a join responses r on r.id = a.response_id join questions q on q.id = a.question_id
        where r.consultation_id = ${consultationId} and a.text is not null and not a.hidden
          and not exists (select 1 from answer_themes x join themes t on t.id = x.theme_id where x.answer_id = a.id and t.retired_at is null)
        order by a.id`,
  );
  return rows.map((r) => ({ answerId: Number(r.id), questionCode: r.code, text: r.text, rejected: r.rejected ?? [] }));
}

export async function suggestionsFor(db: DbOrTx, consultationId: string): Promise<SuggestionGroup[]> {
  const active = await queryRows<ThemeKeywordsRow>(
    db,
    sql`select id, keywords from themes where consultation_id = ${consultationId} and retired_at is null order by created_at, code`,
  );
  if (!active.length) return [];
  return suggest(await untaggedTexts(db, consultationId), active);
}

/**
 * Accepts (tags) or turns down the suggestion groups picked, as they are worked out now: a
 * decision covers what is suggested now, never more. Refused as `suggestions_changed` when none
 * of the groups picked is suggested any more; a group whose answers changed meanwhile is skipped.
 */
export async function decideSuggestions(db: Db, actorId: string, consultationId: string, pick: string[], accept: boolean): Promise<ThemeResult> {
  const groups = new Map((await suggestionsFor(db, consultationId)).map((g) => [g.id, g]));
  const picked = pick.map((id) => groups.get(id)).filter((g) => g !== undefined);
  if (!picked.length) return { ok: false, reason: "suggestions_changed" };
  let outcome: ThemeResult = { ok: true };
  for (const g of picked) {
    const ids = g.answers.map((a) => a.answerId);
    const r = accept ? await tagAnswers(db, actorId, consultationId, g.themeId, ids) : await rejectSuggestions(db, actorId, consultationId, g.themeId, ids);
    if (!r.ok && r.reason !== "no_answers") outcome = r;
  }
  return outcome;
}
