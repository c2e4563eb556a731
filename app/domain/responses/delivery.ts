/**
 * What a device may keep about an answer sent from it offline and refused on delivery: why, in
 * one word, and nothing of the answer (decision 044). The server names it in a header of the
 * refused answer's page; the service worker keeps that word with the receipt code.
 */
import type { AcceptRefusal } from "./accept.server";

export const REFUSAL_HEADER = "X-Quorum-Refusal";

/** Why an answer was refused, as a resident's notice says it: the consultation no longer takes answers, the code, or the answers. */
export type RefusalKind = "closed" | "code" | "answers";

const KIND = {
  closed: "closed",
  not_open: "closed",
  not_yet_open: "closed",
  grace_over: "closed",
  code_required: "code",
  code_invalid: "code",
  code_used: "code",
  invalid_answers: "answers",
  form_expired: "answers",
  id_reused: "answers",
  receipt_collision: "answers",
  rate_limited: "answers",
  unavailable: "answers",
} as const satisfies Record<AcceptRefusal, RefusalKind>;

export const refusalKind = (reason: AcceptRefusal): RefusalKind => KIND[reason];

/** A header's word as the device keeps it: one of the three kinds, whatever the header says. */
export function readRefusalKind(header: string | null): RefusalKind {
  return header === "closed" || header === "code" ? header : "answers";
}
