import type { AcceptAnswerResult } from "../domain/responses/accept.server";
import { SUBMISSION_SLOT } from "../page-cache/page-cache.server";

export { KEPT_UNTIL_HEADER, keptUntil, SUBMISSION_ID_HEADER } from "../page-cache/page-cache.server";

/** What the HTTP server (server/) passes to every loader and action. */
export interface QuorumContext {
  /** The request's id, also on every log line it causes and in its X-Request-Id header. */
  requestId?: string;
  /**
   * The client, for rate limits only and only hashed: the TCP peer, or the address the
   * trusted proxies report; an IPv6 client as its /64. Never stored, never logged.
   */
  clientAddress?: string;
  /** An answer the server's answer handler already judged (and refused): the route renders it. */
  answered?: AcceptAnswerResult;
  /** Rendering for the page cache: the form's submission id is the slot the cache fills per response. */
  submissionSlot?: boolean;
}

function of(context: unknown): QuorumContext {
  return (context ?? {}) as QuorumContext;
}

export function clientAddressOf(context: unknown): string | undefined {
  return of(context).clientAddress;
}

export function answeredIn(context: unknown): AcceptAnswerResult | undefined {
  return of(context).answered;
}

/** The route's own verdict on an answer, kept for the loaders that render the page after it (its title says "Error:"). */
export function rememberAnswered(context: unknown, result: AcceptAnswerResult): void {
  if (context && typeof context === "object") (context as QuorumContext).answered = result;
}

/** A fresh submission id for a form, or the page cache's slot when the page is rendered for it. */
export function submissionIdFor(context: unknown): string {
  return of(context).submissionSlot ? SUBMISSION_SLOT : crypto.randomUUID();
}
