/**
 * The results page's figures, read from a consultation's open-data rows (the same protection,
 * decision 061): per question its answers (alone or grouped), ranks, themes with their quotes,
 * and a few published free texts (in an order that does not follow arrival; all of them are in
 * the open data). Shares are computed here from the published counts, once (never a rounded
 * share rounded again).
 */
import type { ConsultationView } from "../consultations/types";
import type { Withheld } from "./disclosure";
import { GROUP_SEPARATOR } from "./protect";
import { excerpts, type PublishedRow } from "./opendata.server";

/** Free texts shown per question; the open data has them all. */
export const EXCERPTS = 5;

/** A published count, or why it is withheld. */
export type Figure = { n: number; share: number | null } | { withheld: Withheld };

const figure = (r: PublishedRow | undefined, base: number | null): Figure | null => {
  if (!r) return null;
  if (r.count === null) return { withheld: r.withheld ?? "fewer" };
  return { n: r.count, share: base ? r.count / base : base === 0 ? 0 : null };
};

/** A member of a grouped row: an option's code, "other", "prefer_not" or a scale value. */
export interface Member {
  code: string;
  label: string;
}

export interface PublicItem {
  kind: string;
  code: string;
  label: string;
  /** Grouped rows: what they hold. */
  members: Member[];
  figure: Figure;
}

export function publicResults(c: Pick<ConsultationView, "questions">, rows: PublishedRow[], lang: "fr" | "en") {
  const find = (kind: string, code: string | null = null) => rows.find((r) => r.kind === kind && r.question_code === null && r.option_code === code);
  const responses = find("responses");
  const total = responses?.count ?? null;
  const channelRows = rows.filter((r) => r.question_code === null && (r.kind === "channel" || r.kind === "combined"));
  const questions = c.questions.map((q) => {
    const mine = rows.filter((r) => r.question_code === q.code);
    const answeredRow = mine.find((r) => r.kind === "answered");
    const answered = answeredRow?.count ?? null;
    const labelOf = (code: string) => q.options.find((o) => o.code === code)?.labels[lang] ?? code;
    const item = (r: PublishedRow, base: number | null): PublicItem => {
      const code = String(r.option_code ?? "");
      return {
        kind: String(r.kind),
        code,
        label: r.kind === "option" || r.kind === "rank_position" ? labelOf(code) : code,
        members: r.kind === "combined" ? code.split(GROUP_SEPARATOR).map((m) => ({ code: m, label: labelOf(m) })) : [],
        figure: figure(r, base)!,
      };
    };
    const full = mine.some((r) => r.kind === "rank");
    const items = mine
      .filter(
        (r) => ["option", "other", "prefer_not", "scale", "combined"].includes(String(r.kind)) || (r.kind === "rank_position" && !full && r.position === 1),
      )
      .map((r) => item(r, answered));
    const ranks = mine
      .filter((r) => r.kind === "rank")
      .map((r) => ({
        label: labelOf(String(r.option_code)),
        mean: r.mean,
        first: figure(
          mine.find((p) => p.kind === "rank_position" && p.option_code === r.option_code && p.position === 1),
          r.count,
        ),
      }));
    const textsRow = mine.find((r) => r.kind === "texts");
    const texts = textsRow?.count ?? null;
    const themes = mine
      .filter((r) => r.kind === "theme")
      .map((r) => ({
        code: String(r.option_code ?? ""),
        label: String((lang === "fr" ? r.option_fr : r.option_en) ?? ""),
        figure: figure(r, texts)!,
        quotes: mine.filter((x) => x.kind === "quote" && x.option_code === r.option_code).map((x) => String(x.text)),
      }));
    return {
      code: q.code,
      kind: q.kind,
      prompt: q.texts[lang].prompt,
      answered: figure(answeredRow, null),
      texts: textsRow ? figure(textsRow, null) : null,
      themes,
      items,
      /** The whole table is one group: too few per answer to show any apart. */
      notSplit: items.length === 1 && items[0].kind === "combined" && "n" in items[0].figure && items[0].figure.n === answered,
      grouped: items.some((i) => i.kind === "combined"),
      ranks,
      mean: mine.find((r) => r.kind === "mean")?.mean ?? null,
      ...excerpts(
        mine.filter((r) => r.kind === "text").map((r) => String(r.text)),
        EXCERPTS,
      ),
    };
  });
  return {
    responses: figure(responses, null),
    channels: channelRows.map((r) => ({
      code: String(r.option_code ?? ""),
      members: String(r.option_code ?? "").split(GROUP_SEPARATOR),
      figure: figure(r, total)!,
    })),
    questions,
  };
}

export type PublicResults = ReturnType<typeof publicResults>;
export type PublicQuestion = PublicResults["questions"][number];
