/**
 * The results page's figures, read from a consultation's open-data rows (the same small counts
 * withheld): per question its answers, ranks, themes with their quotes, and a few published
 * free texts (in an order that does not follow arrival; all of them are in the open data).
 */
import type { ConsultationView } from "../consultations/types";
import { excerpts, type PublishedRow } from "./opendata.server";

/** Free texts shown per question; the open data has them all. */
export const EXCERPTS = 5;

/** A count or share as published: null when withheld. */
const num = (v: string | number | boolean | null) => (typeof v === "number" ? v : null);

export function publicResults(c: Pick<ConsultationView, "questions">, rows: PublishedRow[], lang: "fr" | "en") {
  const count = (kind: string, code: string | null = null) => rows.find((r) => r.kind === kind && r.option_code === code)?.count ?? null;
  const label = (fr: string | number | null, en: string | number | null) => String((lang === "fr" ? fr : en) ?? "");
  const questions = c.questions.map((q) => {
    const mine = rows.filter((r) => r.question_code === q.code);
    const items = mine
      .filter((r) => ["option", "other", "prefer_not", "scale"].includes(String(r.kind)))
      .map((r) => ({
        kind: String(r.kind),
        label: label(r.option_fr, r.option_en),
        code: String(r.option_code ?? ""),
        count: num(r.count),
        share: num(r.share),
      }));
    const ranks = mine
      .filter((r) => r.kind === "rank")
      .map((r) => ({
        label: label(r.option_fr, r.option_en),
        mean: num(r.mean),
        first: num(mine.find((p) => p.kind === "rank_position" && p.option_code === r.option_code && p.position === 1)?.count ?? null),
      }));
    const themes = mine
      .filter((r) => r.kind === "theme")
      .map((r) => ({
        code: String(r.option_code ?? ""),
        label: label(r.option_fr, r.option_en),
        count: num(r.count),
        share: num(r.share),
        quotes: mine.filter((x) => x.kind === "quote" && x.option_code === r.option_code).map((x) => String(x.text)),
      }));
    return {
      code: q.code,
      kind: q.kind,
      prompt: q.texts[lang].prompt,
      texts: num(mine.find((r) => r.kind === "texts")?.count ?? null),
      themes,
      answered: num(mine.find((r) => r.kind === "answered")?.count ?? null),
      items,
      ranks,
      mean: num(mine.find((r) => r.kind === "mean")?.mean ?? null),
      ...excerpts(
        mine.filter((r) => r.kind === "text").map((r) => String(r.text)),
        EXCERPTS,
      ),
    };
  });
  return {
    responses: num(count("responses")),
    channels: { web: num(count("channel", "web")), offline: num(count("channel", "offline")), paper: num(count("channel", "paper")) },
    questions,
  };
}

export type PublicResults = ReturnType<typeof publicResults>;
export type PublicQuestion = PublicResults["questions"][number];
