import type { Channel } from "#db/schema";
import type { ConsultationView } from "./types";

export type AnswerRefusal = "not_open" | "not_yet_open" | "closed";

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
 * paper forms collected in person may be entered after the closing (never into a draft,
 * nor once the consultation is archived).
 */
export function acceptsAnswers(
  c: Pick<ConsultationView, "status" | "opensAt" | "closesAt">,
  channel: Channel,
  now: Date,
): { ok: true } | { ok: false; reason: AnswerRefusal } {
  const window = answerWindow(c, now);
  if (!window.ok && channel === "paper" && window.reason === "closed" && c.status !== "archived") return { ok: true };
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
