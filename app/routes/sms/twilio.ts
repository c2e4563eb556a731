/**
 * Twilio's webhook for a resident's text message (decision 066): the signature checked as Twilio
 * documents it (HMAC-SHA1 of the public address of this path and the posted fields, with
 * QUORUM_TWILIO_AUTH_TOKEN), the message handed to the conversation engine once, the reply sent
 * back as TwiML. A bad or missing signature: 403. SMS not set up for Twilio: 404.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import twilio from "twilio";
import { z } from "zod";
import { publicOrigin } from "~/platform/commune.server";
import { loadEnv } from "~/platform/env.server";
import { receiveSms, smsProvider } from "~/web/sms.server";
import { urls } from "~/urls";

const plain = (status: number, text: string) =>
  new Response(`${text}\n`, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });

const message = z.object({
  MessageSid: z.string().trim().min(1).max(64),
  From: z.string().trim().min(1).max(64),
  Body: z.string().max(20_000).default(""),
});

export async function loader() {
  return smsProvider() === "twilio" ? plain(405, "Method Not Allowed: Twilio posts here") : plain(404, "Not Found");
}

export async function action({ request }: ActionFunctionArgs) {
  if (smsProvider() !== "twilio") return plain(404, "Not Found");
  if (request.method !== "POST") return plain(405, "Method Not Allowed");
  const fields = Object.fromEntries(new URLSearchParams(await request.text()));
  const signature = request.headers.get("X-Twilio-Signature") ?? "";
  // The address Twilio signed is the one it was given: this commune's public origin and the path
  // (never the Host header a client sends).
  const url = `${publicOrigin()}${urls.sms.twilio()}${new URL(request.url).search}`;
  if (!signature || !twilio.validateRequest(loadEnv().QUORUM_TWILIO_AUTH_TOKEN ?? "", signature, url, fields)) return plain(403, "Forbidden: bad signature");
  const read = message.safeParse(fields);
  if (!read.success) return plain(400, "Bad Request: MessageSid, From and Body are needed");
  const reply = await receiveSms({ provider: "twilio", messageId: read.data.MessageSid, from: read.data.From, body: read.data.Body });
  const twiml = new twilio.twiml.MessagingResponse();
  if (reply) twiml.message(reply);
  return new Response(twiml.toString(), { status: 200, headers: { "Content-Type": "text/xml; charset=utf-8", "Cache-Control": "no-store" } });
}
