/**
 * The themes queue: a consultation's visible free texts, filtered by theme, by "untagged"
 * (no active theme), by question and by full-text search. Search uses PostgreSQL's own text
 * search with the French and the English configurations (an answer matches when either
 * does), so "capteurs" finds "capteur" and "sensors" finds "sensor".
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "#db/client";

export const UNTAGGED = "untagged";

export interface QueueFilter {
  /** A theme id, UNTAGGED, or nothing for every answer. */
  theme?: string | null;
  questionCode?: string | null;
  search?: string | null;
  limit?: number;
  offset?: number;
  /**
   * Texts just acted on (tagged, untagged, quoted): those that no longer match the theme filter
   * stay on the page, in their place and marked `kept`, so the person who acted finds them where
   * they were; the next load leaves them out.
   */
  keep?: number[];
}

export interface QueueItem {
  answerId: number;
  questionCode: string;
  text: string;
  isOther: boolean;
  receivedAt: Date;
  /** Active themes on it, and whether it is one of their quotes. */
  tags: { themeId: string; quote: boolean }[];
  /** On the page only because it was just acted on (`keep`). */
  kept?: true;
}

function conditions(consultationId: string, f: QueueFilter): SQL {
  const parts: SQL[] = [sql`r.consultation_id = ${consultationId}`, sql`a.text is not null`, sql`not a.hidden`];
  if (f.questionCode) parts.push(sql`q.code = ${f.questionCode}`);
  if (f.theme === UNTAGGED)
    parts.push(sql`not exists (select 1 from answer_themes x join themes t on t.id = x.theme_id where x.answer_id = a.id and t.retired_at is null)`);
  else if (f.theme) parts.push(sql`exists (select 1 from answer_themes x where x.answer_id = a.id and x.theme_id::text = ${f.theme})`);
  const search = f.search?.trim();
  if (search)
    parts.push(
      sql`(to_tsvector('french', a.text) @@ plainto_tsquery('french', ${search}) or to_tsvector('english', a.text) @@ plainto_tsquery('english', ${search}))`,
    );
  return sql.join(parts, sql` and `);
}

type QueueRow = {
  id: number;
  code: string;
  text: string;
  other: boolean;
  received_at: string | Date;
  tags: { themeId: string; quote: boolean }[] | null;
  total: number;
};

const itemOf = (r: QueueRow): QueueItem => ({
  answerId: Number(r.id),
  questionCode: r.code,
  text: r.text,
  isOther: !!r.other,
  receivedAt: new Date(r.received_at),
  tags: r.tags ?? [],
});

export async function listQueue(db: DbOrTx, consultationId: string, f: QueueFilter = {}): Promise<{ items: QueueItem[]; total: number }> {
  const where = conditions(consultationId, f);
  const offset = f.offset ?? 0;
  const rows = (matching: SQL, page: SQL) =>
    queryRows<QueueRow>(
      db,
      sql`select a.id, q.code, a.text, a.option_ids is not null as other, r.received_at,
          (select json_agg(json_build_object('themeId', x.theme_id, 'quote', x.quote) order by t.created_at)
             from answer_themes x join themes t on t.id = x.theme_id where x.answer_id = a.id and t.retired_at is null) as tags,
          count(*) over ()::int as total
        from answers a join responses r on r.id = a.response_id join questions q on q.id = a.question_id
        where ${matching}
        order by r.received_at desc, a.id desc
        ${page}`,
    );
  // One pass: the page and, beside each row, how many rows match (text search runs once per text).
  const found = await rows(where, sql`limit ${f.limit ?? 50} offset ${offset}`);
  let total = found.length ? Number(found[0].total) : 0;
  if (!found.length && offset > 0) {
    // A page past the end: the count alone.
    const [{ n }] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from answers a join responses r on r.id = a.response_id join questions q on q.id = a.question_id where ${where}`,
    );
    total = Number(n);
  }
  const items = found.map(itemOf);
  const missing = (f.keep ?? []).filter((id) => Number.isSafeInteger(id) && !items.some((i) => i.answerId === id));
  if (missing.length) {
    // The same question and words, whatever their themes now.
    const keptWhere = sql`${conditions(consultationId, { ...f, theme: null })} and a.id in (${sql.join(
      missing.map((id) => sql`${id}`),
      sql`, `,
    )})`;
    items.push(...(await rows(keptWhere, sql``)).map((r) => ({ ...itemOf(r), kept: true as const })));
    items.sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || b.answerId - a.answerId);
  }
  return { total, items };
}
