/**
 * Answers to the demo consultation at city scale, written straight into PostgreSQL in batches of
 * 100,000 responses (one `insert … select` per table and batch, from `generate_series`): about a
 * minute per million answers on a 2-core machine, where the app's own path stores ~2,500 a second.
 *
 * Every question kind is answered the way a large consultation would be: some skip a question,
 * some prefer not to say, some choose "Other" and write it, a few texts are hidden by moderation,
 * three themes tag about a third of the comments (a few of them as quotes), and a share of the
 * answers came on paper or offline. The draw is seeded (`setseed`), so one size gives the same
 * figures on every run.
 */
import type postgres from "postgres";

export const SEED_BATCH = 100_000;

/** Every ordering of `xs` (the ranking question's 4 items: 24). */
function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** Every non-empty subset of `xs` of at most `max` elements, in a fixed order. */
function subsets<T>(xs: T[], max: number): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << xs.length; mask++) {
    const s = xs.filter((_, i) => mask & (1 << i));
    if (s.length <= max) out.push(s);
  }
  return out;
}

const uuidArray = (ids: string[]) => `{${ids.join(",")}}`;

/**
 * Adds `count` responses to the consultation `slug` (which must be the demo's questionnaire).
 * Foreign keys are not checked while loading (`session_replication_role = replica`, so it needs a
 * superuser): every id written comes from the rows just inserted or from the questionnaire itself.
 */
export async function seedScale(sql: postgres.Sql, slug: string, count: number, seed = 0.25): Promise<void> {
  const [c] = await sql`select id from consultations where slug = ${slug}`;
  const qs = await sql`select id, code from questions where consultation_id = ${c.id}`;
  const q = Object.fromEntries(qs.map((r) => [r.code as string, r.id as string]));
  const opts =
    await sql`select o.question_id, o.code, o.id from options o join questions q on q.id = o.question_id where q.consultation_id = ${c.id} order by o.position`;
  const option = (question: string, code: string) => opts.find((o) => o.question_id === q[question] && o.code === code)!.id as string;
  const optionsOf = (question: string) => opts.filter((o) => o.question_id === q[question]).map((o) => o.id as string);
  const [done] = await sql`select count(*)::int as n from responses where consultation_id = ${c.id}`;
  const measures = subsets(
    ["footfall", "air", "noise"].map((code) => option("measures", code)),
    3,
  ).concat([[option("measures", "none")]]);
  const ranks = permutations(optionsOf("priorities"));
  const themes = await ensureThemes(sql, c.id as string);

  await sql.unsafe(`select setseed(${seed})`);
  for (let start = done.n as number; start < (done.n as number) + count; start += SEED_BATCH) {
    const n = Math.min(SEED_BATCH, (done.n as number) + count - start);
    await sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`create temp table sb on commit drop as
        select gen_random_uuid() as id, g, random() as r1, random() as r2, random() as r3, random() as r4, random() as r5,
          random() as r6, random() as r7, random() as r8, random() as r9, random() as r10, random() as r11, random() as r12, random() as r13, random() as r14
        from generate_series(${start + 1}::int, ${start + n}::int) g`;
      await tx`create temp table sm on commit drop as select i - 1 as i, ids::uuid[] as ids
        from unnest(${measures.map(uuidArray)}::text[]) with ordinality as t(ids, i)`;
      await tx`create temp table sr on commit drop as select i - 1 as i, ids::uuid[] as ids
        from unnest(${ranks.map(uuidArray)}::text[]) with ordinality as t(ids, i)`;
      // One response a second back from now, most on the web, some offline, a few on paper.
      await tx`insert into responses (id, consultation_id, submission_id, receipt_code, locale, channel, received_at, paper_received_on)
        select id, ${c.id}, gen_random_uuid(), 'S' || replace(id::text, '-', ''), case when r1 < 0.8 then 'fr' else 'en' end,
          case when r2 < 0.9 then 'web' when r2 < 0.97 then 'offline' else 'paper' end,
          now() - make_interval(secs => g), case when r2 >= 0.97 then (now() - make_interval(secs => g))::date end
        from sb`;
      // support: scale 1–5, required (everyone), leaning in favour.
      await tx`insert into answers (response_id, question_id, number)
        select id, ${q.support}, case when r3 < 0.1 then 1 when r3 < 0.25 then 2 when r3 < 0.45 then 3 when r3 < 0.75 then 4 else 5 end from sb`;
      // measures: multiple choice, 1–3 answers, 6 % add "Other" with a text; 8 % skip it.
      await tx`insert into answers (response_id, question_id, option_ids, text)
        select sb.id, ${q.measures}, sm.ids, case when r5 < 0.06 then 'Les vélos (' || g % 97 || ')' end
        from sb join sm on sm.i = floor(r4 * (select count(*) from sm))::int where r6 >= 0.08`;
      // retention: single choice of 3, or "Other" with a text (no option); 10 % skip it.
      await tx`insert into answers (response_id, question_id, option_ids, text)
        select id, ${q.retention},
          case when r7 < 0.3 then array[${option("retention", "1d")}::uuid] when r7 < 0.75 then array[${option("retention", "30d")}::uuid]
            when r7 < 0.95 then array[${option("retention", "1y")}::uuid] else '{}'::uuid[] end,
          case when r7 >= 0.95 then 'Une semaine, pas plus (' || g % 53 || ')' end
        from sb where r6 < 0.9`;
      // priorities: ranking of 4; 30 % skip it.
      await tx`insert into answers (response_id, question_id, option_ids)
        select sb.id, ${q.priorities}, sr.ids from sb join sr on sr.i = floor(r8 * 24)::int where r14 < 0.7`;
      // elsewhere: a short text from a quarter of them.
      await tx`insert into answers (response_id, question_id, text)
        select id, ${q.elsewhere}, (array['Rue des Halles', 'Devant l’école', 'Near the bus stop', 'Place de la Mairie', 'Parking du marché'])[1 + g % 5] || ' ' || g % 211
        from sb where r9 >= 0.75`;
      // comments: a long text from 40 %, 2 % of them hidden by moderation.
      await tx`insert into answers (response_id, question_id, text, hidden, hidden_reason)
        select id, ${q.comments},
          (array['Trop de capteurs dans ma rue, et pour quoi faire ?', 'La qualité de l’air près de l’école m’inquiète ; mesurez-la.',
                 'Privacy matters more than data: no cameras, please.', 'Merci pour les bancs, il en faut davantage à l’ombre.',
                 E'Le bruit des camions la nuit, surtout le mardi.\nEt le dimanche matin.', 'Publiez les données ouvertes, chaque jour.'])[1 + g % 6]
            || ' (' || g || ')',
          r10 < 0.008, case when r10 < 0.008 then 'personal' end
        from sb where r10 < 0.4`;
      // area, age, language: demographic, optional; 4 % prefer not to say, 8 % skip, the rest choose by the weights.
      for (const [code, r, weights] of [
        ["area", "r11", [0.45, 0.75, 1]],
        ["age", "r12", [0.05, 0.3, 0.6, 0.88, 1]],
        ["language", "r13", [0.7, 0.8, 1]],
      ] as const) {
        const ids = optionsOf(code);
        const pick = weights.map((w, i) => `when (${r} - 0.12) / 0.88 < ${w} then array['${ids[i]}'::uuid]`).join(" ");
        await tx.unsafe(
          `insert into answers (response_id, question_id, option_ids, prefer_not)
           select id, $1, case when ${r} < 0.04 then null else case ${pick} else array['${ids[ids.length - 1]}'::uuid] end end, ${r} < 0.04
           from sb where ${r} < 0.04 or ${r} >= 0.12`,
          [q[code]],
        );
      }
      // themes on a third of the visible comments; one in 500 tagged texts is a quote.
      await tx`insert into answer_themes (answer_id, theme_id, quote)
        select a.id, t.id, (a.id % 500) = 0
        from answers a join sb on sb.id = a.response_id
        join unnest(${themes}::uuid[]) with ordinality as t(id, i) on ((a.id + t.i) % 3 = 0 or a.id % 11 = 0) and (a.id % 7) < 3
        where a.question_id = ${q.comments} and not a.hidden`;
    });
  }
  // As autovacuum leaves a table that grows by inserts (PostgreSQL 13 and later): visibility map
  // and hint bits set, statistics fresh. Without it the first reads of a freshly loaded table
  // write to every page.
  await sql`vacuum (analyze) responses, answers, answer_themes`;
}

/** Three themes on the consultation's free texts (made once). */
async function ensureThemes(sql: postgres.Sql, consultationId: string): Promise<string[]> {
  const specs = [
    ["privacy", "Vie privée", "Privacy"],
    ["air", "Qualité de l’air", "Air quality"],
    ["noise", "Bruit", "Noise"],
  ];
  for (const [code, fr, en] of specs)
    await sql`insert into themes (consultation_id, code, labels, description, keywords)
      values (${consultationId}, ${code}, ${sql.json({ fr, en })}, ${sql.json({ fr: "", en: "" })}, ${sql.json({ fr: [], en: [] })})
      on conflict (consultation_id, code) do nothing`;
  const rows = await sql`select id from themes where consultation_id = ${consultationId} and retired_at is null order by created_at, code`;
  return rows.map((r) => r.id as string);
}
