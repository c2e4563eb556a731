/**
 * SMS Gateway for Android (capcom6/android-sms-gateway) as Quorum's SMS provider (decision 066):
 * an Android phone with the commune's SIM posts each text it receives to `/sms/gateway`, and
 * Quorum sends its reply back through the phone's API. What follows is what the gateway's
 * documentation (android-sms-gateway/docs-web) says, and what Quorum does with it.
 *
 * The webhook (docs/features/webhooks.md, "Step 5: Receive the Payload" and "Payload Signing"):
 * - a JSON POST `{ deviceId, event, id, payload, webhookId }`; for `sms:received` the payload
 *   holds `messageId`, `message`, `sender` (the resident's number), `recipient`, `simNumber` and
 *   `receivedAt`. Older versions of the app send the sender as `phoneNumber`, now deprecated but
 *   still sent (docs/blog/posts/2026-02-17_webhook-payload-enhancement-sender-destination.md).
 * - signed: `X-Signature` is the hexadecimal HMAC-SHA256, with the signing key set in the app
 *   (Settings → Webhooks → Signing Key), of the raw body as received followed by `X-Timestamp`,
 *   a Unix time in seconds. The docs advise a constant-time comparison and accepting only
 *   timestamps within ±5 minutes against replays. The app signs each attempt anew with the time
 *   of that attempt, so its own retries pass that check.
 * - answered with a 2xx within 30 seconds, or the app retries: after 10 s, 20 s, 40 s… doubling,
 *   14 times by default (about two days). So Quorum answers as soon as the message is handled
 *   and sends the reply afterwards, never making the phone wait for it.
 *
 * Exactly once: the docs call `payload.messageId` of `sms:received` a "content-based ID" (a short
 * hash: two identical texts may share it), so it cannot tell two messages apart. The event's `id`
 * is what the docs say to deduplicate on ("Deduplicate based on `id`", "Handling Multipart
 * Delivery Reports"); the app makes it once per event and webhook and sends it again unchanged
 * with every retry. Quorum uses `id` as the message id. Hence one webhook only for
 * `sms:received` pointing at Quorum: two would be two events, two ids, two replies.
 *
 * Sending (docs/features/sending-messages.md, docs/getting-started/local-server.md): a POST with
 * Basic authentication and `{ "textMessage": { "text" }, "phoneNumbers": [..] }` to
 * `http://<device_ip>:8080/message` on the phone's local server, or
 * `https://api.sms-gate.app/3rdparty/v1/messages` through the cloud server (a private server:
 * `https://<host>/api/3rdparty/v1/messages`, docs/faq/private-server.md). Numbers must be E.164
 * unless `skipPhoneValidation=true` is given: the reply goes to the number exactly as the phone
 * reported it, so Quorum sets it. `simNumber` (1-3) picks the SIM: the one the text came in on.
 *
 * Nothing here logs a phone number or a message.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { IDLE_HOURS } from "../domain/sms/conversation.server";
import { loadEnv } from "../platform/env.server";
import { errorFields, log } from "../platform/log.server";

/** How far X-Timestamp may be from now, either way: the docs' "±5 minutes". */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/** Checks the webhook's signature as the docs describe it: hex HMAC-SHA256 of body + timestamp. */
export function gatewaySignatureValid(key: string, rawBody: string, timestamp: string | null, signature: string | null, now = Date.now()): boolean {
  if (!key || !timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return false;
  const given = signature.trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = createHmac("sha256", key)
    .update(rawBody + timestamp, "utf8")
    .digest();
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}

const envelope = z.object({
  event: z.string().max(64),
  // The event's id: a NanoID in the docs' examples; anything short and printable is taken.
  id: z.string().trim().min(1).max(128),
  payload: z.unknown(),
});

const received = z
  .object({
    message: z.string().max(20_000),
    sender: z.string().trim().min(1).max(64).nullish(),
    phoneNumber: z.string().trim().min(1).max(64).nullish(),
    simNumber: z.number().int().min(1).max(3).nullish(),
    receivedAt: z.string().max(64).nullish(),
  })
  .refine((p) => Boolean(p.sender ?? p.phoneNumber), { message: "no sender" });

/** What a webhook carries, as Quorum reads it. */
export type GatewayEvent =
  | { kind: "sms"; id: string; from: string; body: string; simNumber: number | null }
  /** Another event (sms:sent, system:ping…), or a text too old to answer: nothing to do. */
  | { kind: "ignored" }
  | { kind: "malformed" };

/**
 * Reads a webhook's body (already checked as signed). A text received longer ago than Quorum
 * remembers handled messages (IDLE_HOURS) is ignored: a retry that late could not be told from a
 * new message, and its conversation is forgotten anyway.
 */
export function readGatewayEvent(rawBody: string, now = Date.now()): GatewayEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { kind: "malformed" };
  }
  const outer = envelope.safeParse(json);
  if (!outer.success) return { kind: "malformed" };
  if (outer.data.event !== "sms:received") return { kind: "ignored" };
  const inner = received.safeParse(outer.data.payload);
  if (!inner.success) return { kind: "malformed" };
  const at = inner.data.receivedAt ? Date.parse(inner.data.receivedAt) : NaN;
  if (Number.isFinite(at) && now - at > (IDLE_HOURS - 1) * 3600_000) return { kind: "ignored" };
  return {
    kind: "sms",
    id: outer.data.id,
    from: (inner.data.sender ?? inner.data.phoneNumber)!,
    body: inner.data.message,
    simNumber: inner.data.simNumber ?? null,
  };
}

/**
 * The address replies are posted to. QUORUM_SMS_GATEWAY_URL may be the send address itself, or
 * the API's root as the docs name it: the phone's `http://<ip>:8080` (then `/message`) or the
 * cloud's or a private server's `…/3rdparty/v1` (then `/messages`).
 */
export function gatewaySendUrl(configured: string): URL {
  const url = new URL(configured);
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "") url.pathname = "/message";
  else if (path.endsWith("/3rdparty/v1")) url.pathname = `${path}/messages`;
  url.searchParams.set("skipPhoneValidation", "true");
  return url;
}

/** Waits before each new attempt at sending a reply (milliseconds): four more tries within about three minutes. */
let retryDelays = [2_000, 10_000, 40_000, 120_000];
/** Each attempt gives up after this long. */
const ATTEMPT_TIMEOUT_MS = 15_000;
const pending = new Set<Promise<void>>();

/** Tests: shorter waits between attempts. */
export function setGatewayRetryDelaysForTests(delays: number[]): void {
  retryDelays = delays;
}

/** Tests: resolves once every reply under way has been sent or given up. */
export async function gatewaySendsSettled(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

type Attempt = "sent" | "retry" | "give-up";

async function attempt(to: string, text: string, simNumber: number | null): Promise<{ outcome: Attempt; status?: number; error?: unknown }> {
  const env = loadEnv();
  if (!env.QUORUM_SMS_GATEWAY_URL) return { outcome: "give-up" };
  const auth = Buffer.from(`${env.QUORUM_SMS_GATEWAY_USER ?? ""}:${env.QUORUM_SMS_GATEWAY_PASSWORD ?? ""}`).toString("base64");
  try {
    const response = await fetch(gatewaySendUrl(env.QUORUM_SMS_GATEWAY_URL), {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Basic ${auth}` },
      body: JSON.stringify({ textMessage: { text }, phoneNumbers: [to], ...(simNumber ? { simNumber } : {}) }),
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (response.ok) return { outcome: "sent", status: response.status };
    // Refused for what was sent (wrong credentials, a number it will not take): trying again changes nothing.
    const again = response.status >= 500 || response.status === 429 || response.status === 408;
    return { outcome: again ? "retry" : "give-up", status: response.status };
  } catch (error) {
    return { outcome: "retry", error };
  }
}

async function deliver(to: string, text: string, simNumber: number | null): Promise<void> {
  for (let tries = 0; ; tries++) {
    const result = await attempt(to, text, simNumber);
    if (result.outcome === "sent") return;
    const fields = { attempt: tries + 1, ...(result.status ? { status: result.status } : {}), ...(result.error ? errorFields(result.error) : {}) };
    if (result.outcome === "give-up" || tries >= retryDelays.length) {
      log.error(fields, "sms gateway: a reply could not be sent, given up");
      return;
    }
    log.warn(fields, "sms gateway: a reply could not be sent, trying again");
    await new Promise((resolve) => setTimeout(resolve, retryDelays[tries]));
  }
}

/**
 * Sends a reply through the gateway in the background: returns at once; a failed attempt is
 * logged (status and attempt, never the number or the text) and tried again a few times with
 * growing waits. Replies under way do not outlive the process.
 */
export function sendGatewayReply(to: string, text: string, simNumber: number | null): void {
  const job = deliver(to, text, simNumber)
    .catch((error: unknown) => log.error(errorFields(error), "sms gateway: sending a reply failed"))
    .finally(() => pending.delete(job));
  pending.add(job);
}
