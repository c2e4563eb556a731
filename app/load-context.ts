import type { AcceptResult } from "./domain/responses/accept.server";

/** What server.mjs passes to every loader and action. */
export interface QuorumContext {
  /** The TCP peer address, used only hashed (rate limits); never stored. */
  clientAddress?: string;
  /** An answer the server's fast path already judged (and refused): the route renders it. */
  answered?: AcceptResult;
}

export function clientAddressOf(context: unknown): string | undefined {
  return (context as QuorumContext | undefined)?.clientAddress;
}

export function answeredIn(context: unknown): AcceptResult | undefined {
  return (context as QuorumContext | undefined)?.answered;
}
