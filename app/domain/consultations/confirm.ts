/**
 * What opening or closing a consultation by hand will change for residents, said before it is
 * done (the confirmation page). Mirrors the dates `transition` writes: opening by hand opens
 * now (a later scheduled opening is dropped, a draft without one records now as its opening, a
 * closing date already past is removed); closing by hand closes now (a later scheduled closing
 * is brought forward).
 */
import type { ConsultationStatus } from "#db/schema";

export const CONFIRMED_INTENTS = ["open", "close", "reopen"] as const;
export type ConfirmedIntent = (typeof CONFIRMED_INTENTS)[number];

export const isConfirmedIntent = (intent: string): intent is ConfirmedIntent => (CONFIRMED_INTENTS as readonly string[]).includes(intent);

const FROM: Record<ConfirmedIntent, ConsultationStatus> = { open: "draft", close: "open", reopen: "closed" };

export type Effect =
  | {
      intent: "open" | "reopen";
      /** A scheduled opening later than now, which opening now ignores. */
      ignoredOpening: Date | null;
      /** A closing date already past, which opening removes (it then stays open until closed by hand). */
      removedClosing: Date | null;
      /** The closing date that still holds, if any. */
      closesAt: Date | null;
    }
  | {
      intent: "close";
      /** Answers received so far (all channels). */
      answers: number;
      /** A scheduled closing later than now, which closing now brings forward. */
      broughtForward: Date | null;
    };

/** The effect of `intent` on a consultation in its current state, or null when the move is not possible from its status. */
export function effectOf(
  c: { status: ConsultationStatus; opensAt: Date | null; closesAt: Date | null },
  intent: ConfirmedIntent,
  answers: number,
  now: Date,
): Effect | null {
  if (c.status !== FROM[intent]) return null;
  if (intent === "close") return { intent, answers, broughtForward: c.closesAt && c.closesAt > now ? c.closesAt : null };
  const removed = c.closesAt && c.closesAt <= now ? c.closesAt : null;
  return {
    intent,
    ignoredOpening: c.opensAt && c.opensAt > now ? c.opensAt : null,
    removedClosing: removed,
    closesAt: removed ? null : c.closesAt,
  };
}
