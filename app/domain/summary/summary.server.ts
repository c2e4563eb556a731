/**
 * The feedback summary: per question counts and percentages, scale
 * distributions and means, ranking mean positions, excerpts of visible free
 * text, a breakdown by a demographic question, and who has not been heard
 * (respondents' shares beside reference shares). Aggregation happens in SQL;
 * hidden free text never appears here.
 */
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "#db/client";
import { referenceShares } from "#db/schema";
import type { ConsultationView, QuestionKind } from "../consultations/types";

export const UNDER_REPRESENTED = 0.8;
export const EXCERPTS = 5;

export interface OptionSummary {
  id: string;
  code: string;
  labels: { fr: string; en: string };
  count: number;
  /** Share of those who answered the question (0–1). */
  share: number;
  /** Ranking: the average rank given (1 = first). */
  meanPosition: number | null;
}

export interface QuestionSummary {
  id: string;
  code: string;
  kind: QuestionKind;
  demographic: string | null;
  prompt: { fr: string; en: string };
  answered: number;
  preferNot: number;
  other: number;
  options: OptionSummary[];
  scale: { distribution: number[]; mean: number | null } | null;
  texts: number;
  excerpts: string[];
}

export interface Representation {
  questionId: string;
  rows: {
    optionId: string;
    code: string;
    labels: { fr: string; en: string };
    count: number;
    share: number;
    reference: number | null;
    ratio: number | null;
    under: boolean;
  }[];
  /** Respondents who placed themselves in a group (prefer-not excluded). */
  base: number;
}

export interface Breakdown {
  by: { id: string; code: string };
  groups: { optionId: string; code: string; labels: { fr: string; en: string }; respondents: number }[];
  /** cells[questionId][groupOptionId][optionId] = count; scale means under the key "mean". */
  cells: Record<string, Record<string, Record<string, number>>>;
}

export interface Summary {
  total: number;
  byChannel: { web: number; offline: number; paper: number };
  questions: QuestionSummary[];
  representation: Representation[];
  breakdown: Breakdown | null;
}

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export async function summarize(db: Db, c: ConsultationView, options: { breakdownBy?: string | null } = {}): Promise<Summary> {
  const cid = c.id;
  const channels = await queryRows<{ channel: string; n: number }>(
    db,
    sql`select channel, count(*)::int as n from responses where consultation_id = ${cid} group by channel`,
  );
  const perQuestion = await queryRows<{ question_id: string; answered: number; prefer_not: number; texts: number; others: number; mean: number | null }>(
    db,
    sql`select a.question_id, count(*)::int as answered,
          count(*) filter (where a.prefer_not)::int as prefer_not,
          count(*) filter (where a.text is not null and not a.hidden)::int as texts,
          count(*) filter (where a.text is not null and a.option_ids is not null)::int as others,
          avg(a.number)::float8 as mean
        from answers a join responses r on r.id = a.response_id
        where r.consultation_id = ${cid} group by a.question_id`,
  );
  const perOption = await queryRows<{ question_id: string; option_id: string; n: number; mean_position: number }>(
    db,
    sql`select a.question_id, x.option_id, count(*)::int as n, avg(x.pos)::float8 as mean_position
        from answers a join responses r on r.id = a.response_id
        cross join lateral unnest(a.option_ids) with ordinality as x(option_id, pos)
        where r.consultation_id = ${cid} group by a.question_id, x.option_id`,
  );
  const perScale = await queryRows<{ question_id: string; value: number; n: number }>(
    db,
    sql`select a.question_id, a.number as value, count(*)::int as n
        from answers a join responses r on r.id = a.response_id
        where r.consultation_id = ${cid} and a.number is not null group by a.question_id, a.number`,
  );
  const excerpts = await queryRows<{ question_id: string; text: string }>(
    db,
    sql`select question_id, text from (
          select a.question_id, a.text, row_number() over (partition by a.question_id order by r.received_at desc, a.id desc) as rn
          from answers a join responses r on r.id = a.response_id
          where r.consultation_id = ${cid} and a.text is not null and not a.hidden
        ) t where rn <= ${EXCERPTS} order by question_id, rn`,
  );

  const questions: QuestionSummary[] = c.questions.map((q) => {
    const totals = perQuestion.find((r) => r.question_id === q.id);
    const answered = num(totals?.answered);
    const opts = q.options.map((o) => {
      const row = perOption.find((r) => r.question_id === q.id && r.option_id === o.id);
      const count = num(row?.n);
      return {
        id: o.id,
        code: o.code,
        labels: o.labels,
        count,
        share: answered ? count / answered : 0,
        meanPosition: q.kind === "ranking" && row ? Number(row.mean_position) : null,
      };
    });
    const distribution = [1, 2, 3, 4, 5].map((v) => num(perScale.find((r) => r.question_id === q.id && Number(r.value) === v)?.n));
    return {
      id: q.id,
      code: q.code,
      kind: q.kind,
      demographic: q.demographic,
      prompt: { fr: q.texts.fr.prompt, en: q.texts.en.prompt },
      answered,
      preferNot: num(totals?.prefer_not),
      other: num(totals?.others),
      options: opts,
      scale: q.kind === "scale" ? { distribution, mean: totals?.mean === null || totals?.mean === undefined ? null : Number(totals.mean) } : null,
      texts: num(totals?.texts),
      excerpts: excerpts.filter((e) => e.question_id === q.id).map((e) => e.text),
    };
  });

  const refs = await db
    .select()
    .from(referenceShares)
    .where(sql`${referenceShares.questionId} in (select id from questions where consultation_id = ${cid})`);
  const representation: Representation[] = questions
    .filter((q) => q.demographic)
    .map((q) => {
      const base = q.options.reduce((s, o) => s + o.count, 0);
      return {
        questionId: q.id,
        base,
        rows: q.options.map((o) => {
          const ref = refs.find((r) => r.optionId === o.id);
          const reference = ref ? Number(ref.percent) / 100 : null;
          const share = base ? o.count / base : 0;
          const ratio = reference ? share / reference : null;
          return {
            optionId: o.id,
            code: o.code,
            labels: o.labels,
            count: o.count,
            share,
            reference,
            ratio,
            under: ratio !== null && ratio < UNDER_REPRESENTED,
          };
        }),
      };
    });

  let breakdown: Breakdown | null = null;
  const by = c.questions.find((q) => q.code === options.breakdownBy && q.demographic);
  if (by) {
    const rows = await queryRows<{ question_id: string; group_id: string; option_id: string | null; n: number; mean: number | null }>(
      db,
      sql`select q.question_id, g.option_id as group_id, x.option_id, count(*)::int as n, avg(q.number)::float8 as mean
          from answers q
          join responses r on r.id = q.response_id
          join answers d on d.response_id = q.response_id and d.question_id = ${by.id}
          cross join lateral unnest(d.option_ids) as g(option_id)
          left join lateral unnest(q.option_ids) as x(option_id) on true
          where r.consultation_id = ${cid} and q.question_id <> ${by.id}
          group by q.question_id, g.option_id, x.option_id`,
    );
    const cells: Breakdown["cells"] = {};
    for (const r of rows) {
      const perGroup = ((cells[r.question_id] ??= {})[r.group_id] ??= {});
      if (r.option_id) perGroup[r.option_id] = num(r.n);
      else if (r.mean !== null) {
        perGroup.mean = Number(r.mean);
        perGroup.answered = num(r.n);
      }
    }
    const groupSummary = questions.find((q) => q.id === by.id)!;
    breakdown = {
      by: { id: by.id, code: by.code },
      groups: groupSummary.options.map((o) => ({ optionId: o.id, code: o.code, labels: o.labels, respondents: o.count })),
      cells,
    };
  }

  const byChannel = { web: 0, offline: 0, paper: 0 };
  for (const ch of channels) byChannel[ch.channel as keyof typeof byChannel] = num(ch.n);
  return { total: byChannel.web + byChannel.offline + byChannel.paper, byChannel, questions, representation, breakdown };
}

/** Reference shares (e.g. census) for a demographic question, in percent. */
export async function setReferenceShares(db: Db, questionId: string, shares: { optionId: string; percent: number }[], source: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(referenceShares).where(eq(referenceShares.questionId, questionId));
    const rows = shares.filter((s) => Number.isFinite(s.percent));
    if (rows.length) await tx.insert(referenceShares).values(rows.map((s) => ({ questionId, optionId: s.optionId, percent: s.percent.toFixed(2), source })));
  });
}
