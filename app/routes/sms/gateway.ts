/**
 * SMS Gateway for Android's webhook for a resident's text message (decision 066; what the
 * gateway's documentation says: app/web/sms-gateway.server.ts): the signature and its timestamp
 * checked, the `sms:received` event handed to the conversation engine once (by the event's id),
 * the phone answered at once and the reply sent back through the gateway's API afterwards.
 * A bad, missing or stale signature: 403. A body that is not such an event: 400. Other events:
 * 204. SMS not set up for the gateway: 404.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { loadEnv } from "~/platform/env.server";
import { gatewaySignatureValid, readGatewayEvent, sendGatewayReply } from "~/web/sms-gateway.server";
import { receiveSmsOnce, smsProvider } from "~/web/sms.server";

const plain = (status: number, text: string) =>
  new Response(status === 204 ? null : `${text}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

export async function loader() {
  return smsProvider() === "android-sms-gateway" ? plain(405, "Method Not Allowed: the SMS gateway posts here") : plain(404, "Not Found");
}

export async function action({ request }: ActionFunctionArgs) {
  if (smsProvider() !== "android-sms-gateway") return plain(404, "Not Found");
  if (request.method !== "POST") return plain(405, "Method Not Allowed");
  const raw = await request.text();
  const signed = gatewaySignatureValid(
    loadEnv().QUORUM_SMS_GATEWAY_SIGNING_KEY ?? "",
    raw,
    request.headers.get("X-Timestamp"),
    request.headers.get("X-Signature"),
  );
  if (!signed) return plain(403, "Forbidden: bad or stale signature");
  const event = readGatewayEvent(raw);
  if (event.kind === "malformed") return plain(400, "Bad Request: a webhook event with id, event and payload is needed");
  if (event.kind === "ignored") return plain(204, "");
  const { reply, repeat } = await receiveSmsOnce({ provider: "android-sms-gateway", messageId: event.id, from: event.from, body: event.body });
  // A repeat was answered the first time: sending its reply again would text the resident twice.
  if (reply && !repeat) sendGatewayReply(event.from, reply, event.simNumber);
  return plain(200, "OK");
}
