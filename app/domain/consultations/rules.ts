import type { Channel } from "#db/schema";
import type { ConsultationView } from "./types";

export type AnswerRefusal = "not_open" | "not_yet_open" | "closed" | "grace_over";

/** Days after the closing during which paper forms may be entered, unless the official sets another number. */
export const DEFAULT_PAPER_GRACE_DAYS = 14;
const DAY_MS = 24 * 3600 * 1000;

/** The moment after which no paper form may be entered any more, or null when none has a closing yet. */
export function paperGraceEnds(c: Pick<ConsultationView, "closesAt"> & { paperGraceDays?: number }): Date | null {
  if (!c.closesAt) return null;
  return new Date(c.closesAt.getTime() + (c.paperGraceDays ?? DEFAULT_PAPER_GRACE_DAYS) * DAY_MS);
}

/** Whether residents may answer now; the reason when they may not. */
export function answerWindow(c: Pick<ConsultationView, "status" | "opensAt" | "closesAt">, now: Date): { ok: true } | { ok: false; reason: AnswerRefusal } {
  if (c.status === "closed" || c.status === "archived") return { ok: false, reason: "closed" };
  if (c.status !== "open") return { ok: false, reason: "not_open" };
  if (c.opensAt && c.opensAt > now) return { ok: false, reason: "not_yet_open" };
  if (c.closesAt && c.closesAt <= now) return { ok: false, reason: "closed" };
  return { ok: true };
}

/**
 * Whether an answer arriving by `channel` may be stored now: the answer window, except that
 * paper forms collected in person may be entered after the closing for the grace period the
 * official set (never into a draft, nor once the consultation is archived).
 */
export function acceptsAnswers(
  c: Pick<ConsultationView, "status" | "opensAt" | "closesAt"> & { paperGraceDays?: number },
  channel: Channel,
  now: Date,
): { ok: true } | { ok: false; reason: AnswerRefusal } {
  const window = answerWindow(c, now);
  if (!window.ok && channel === "paper" && window.reason === "closed" && c.status !== "archived") {
    const ends = paperGraceEnds(c);
    return ends && now <= ends ? { ok: true } : { ok: false, reason: "grace_over" };
  }
  return window;
}

/** Residents may read a consultation once it has left draft. */
export function isPublic(c: Pick<ConsultationView, "status">): boolean {
  return c.status !== "draft";
}

/**
 * Residents see the results page once an official has published the results (live, while
 * open, or later) or the open data (after closing, which publishes the results with it).
 */
export function resultsVisible(c: Pick<ConsultationView, "status" | "resultsPublishedAt" | "openDataPublishedAt">): boolean {
  return isPublic(c) && (c.resultsPublishedAt !== null || c.openDataPublishedAt !== null);
}
