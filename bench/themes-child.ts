/**
 * Themes at the size of a big consultation (a process of its own): 10,000 free texts in French
 * and English, three themes with keywords; the time to work out every suggestion, and the time
 * of the themes queue under each filter (a page of 50 and its count). Median of a few runs.
 */
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { demoConsultation } from "../app/domain/consultations/demo";
import { createConsultation, getConsultationBySlug } from "../app/domain/consultations/queries.server";
import { listQueue, UNTAGGED } from "../app/domain/themes/queue.server";
import { suggestionsFor } from "../app/domain/themes/suggestions.server";
import { createTheme, tagAnswers } from "../app/domain/themes/themes.server";

const [, , url, countArg] = process.argv;
const COUNT = Number(countArg ?? 10_000);
const database = await openDatabase({ url, max: 2 });
const db = database.db;

const PIECES = [
  "Trop de capteurs dans ma rue",
  "La qualité de l'air près de l’école",
  "Les caméras me gênent",
  "Ma vie privée d'abord",
  "Merci pour les bancs",
  "More sensors downtown please",
  "Air quality alerts would help",
  "Privacy matters more than data",
  "Le bruit des camions la nuit",
  "Publiez les données ouvertes",
  "Les horaires du marché",
  "Noise at night is a problem",
];
/** A deterministic mix: one to three pieces, so that some texts repeat (near-duplicates) and most do not. */
function textOf(i: number): string {
  let x = (i * 2654435761) >>> 0;
  const next = () => ((x = (x * 1103515245 + 12345) >>> 0), x);
  const n = 1 + ((next() >>> 16) % 3);
  const parts = Array.from({ length: n }, () => PIECES[(next() >>> 16) % PIECES.length]);
  return `${parts.join(". ")}${(next() >>> 16) % 4 === 0 ? ` (${i})` : "."}`;
}

const slug = `bench-themes-${Date.now()}`;
await createConsultation(db, { ...demoConsultation(new Date()), slug });
const c = (await getConsultationBySlug(db, slug))!;
const comments = c.questions.find((q) => q.code === "comments")!;
const texts = Array.from({ length: COUNT }, (_, i) => textOf(i));
await db.execute(sql`with r as (
    insert into responses (consultation_id, submission_id, receipt_code, locale, channel)
    select ${c.id}, gen_random_uuid(), 'T' || replace(gen_random_uuid()::text, '-', ''), 'fr', 'web' from generate_series(1, ${COUNT})
    returning id),
  numbered as (select id, row_number() over () as n from r)
  insert into answers (response_id, question_id, text)
  select numbered.id, ${comments.id}, t.text from numbered join jsonb_array_elements_text(${JSON.stringify(texts)}::jsonb) with ordinality as t(text, n) on t.n = numbered.n`);
await db.execute(sql`analyze answers`);

const actor = null as unknown as string;
const theme = async (fr: string, en: string, kwFr: string[], kwEn: string[]) => {
  const made = await createTheme(db, actor, c.id, { labels: { fr, en }, description: { fr: "", en: "" }, keywords: { fr: kwFr, en: kwEn } });
  if (!made.ok) throw new Error(made.reason);
  return made.id;
};
const sensors = await theme("Capteurs", "Sensors", ["capteur"], ["sensor"]);
await theme("Qualité de l’air", "Air quality", ["air", "pollution"], ["air", "pollution"]);
await theme("Vie privée", "Privacy", ["vie privée", "caméra"], ["privacy", "camera"]);

async function timed<T>(runs: number, f: () => Promise<T>): Promise<{ ms: number[]; median: number; value: T }> {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = await f();
    ms.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { ms, median: sorted[Math.floor(sorted.length / 2)], value };
}

const suggest = await timed(3, () => suggestionsFor(db, c.id));
const groups = suggest.value;
const suggestions = {
  answers: COUNT,
  ms: suggest.ms,
  medianMs: suggest.median,
  groups: groups.length,
  suggestedAnswers: groups.reduce((s, g) => s + g.answers.length, 0),
};
// Accept the Sensors suggestions so the queue has a theme to filter by.
await tagAnswers(
  db,
  actor,
  c.id,
  sensors,
  groups.filter((g) => g.themeId === sensors).flatMap((g) => g.answers.map((a) => a.answerId)),
);
const filters: Record<string, Parameters<typeof listQueue>[2]> = {
  all: {},
  theme: { theme: sensors },
  untagged: { theme: UNTAGGED },
  search: { search: "capteurs" },
  "question + theme + search": { questionCode: "comments", theme: sensors, search: "rue" },
};
const queue: Record<string, { medianMs: number; ms: number[]; total: number }> = {};
for (const [name, f] of Object.entries(filters)) {
  const r = await timed(5, () => listQueue(db, c.id, { ...f, limit: 50, offset: 0 }));
  queue[name] = { medianMs: r.median, ms: r.ms, total: r.value.total };
}
await db.execute(sql`delete from responses where consultation_id = ${c.id}`);
await db.execute(sql`delete from consultations where id = ${c.id}`);
await database.close();
console.log(JSON.stringify({ suggestions, queue }));
