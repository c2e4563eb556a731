/**
 * Answering by text message through SMS Gateway for Android: whole conversations posted to
 * `/sms/gateway` as the gateway's documentation describes its webhook (events signed here with
 * HMAC-SHA256 of the body and X-Timestamp, not by Quorum's checker), and the replies Quorum
 * sends read where they arrive: a fake gateway, a real HTTP server standing for the phone's API,
 * which records every request. The receipt is then read on its page's loader, the answers
 * counted in the database. On PGlite and on PostgreSQL (DATABASE_URL) alike.
 */
import { createHmac, randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { responses } from "#db/schema";
import type { ConsultationView } from "~/domain/consultations/types";
import { setDatabaseForTests } from "~/platform/db.server";
import { parseEnv } from "~/platform/env.server";
import * as gatewayRoute from "~/routes/sms/gateway";
import * as receiptRoute from "~/routes/resident/receipt";
import { urls } from "~/urls";
import { gatewaySendsSettled, gatewaySendUrl, setGatewayRetryDelaysForTests } from "~/web/sms-gateway.server";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeConsultation } from "../helpers/fixtures";

const KEY = "gateway-signing-key-for-tests";
const USER = "sms";
const PASSWORD = "gateway password";

/** What the fake gateway received: one entry per request. */
interface Sent {
  path: string;
  query: URLSearchParams;
  authorization: string;
  body: { textMessage?: { text?: string }; phoneNumbers?: string[]; simNumber?: number };
}

// The fake gateway listens before anything reads the settings (they are read once, on first
// use), so that its address can be one of them: the phone's local server, as the docs name it,
// its root (replies to `/message`).
const { gateway, sent, failures } = await vi.hoisted(async () => {
  const { createServer } = await import("node:http");
  const sent: Sent[] = [];
  /** Statuses the fake gateway answers with, one per request, before it answers 202. */
  const failures: number[] = [];
  const gateway = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://gateway");
      sent.push({
        path: url.pathname,
        query: url.searchParams,
        authorization: String(req.headers.authorization ?? ""),
        body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Sent["body"],
      });
      const status = failures.shift() ?? 202;
      res.writeHead(status, { "Content-Type": "application/json" }).end(status === 202 ? JSON.stringify({ id: `m${sent.length}`, state: "Pending" }) : "{}");
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  const address = gateway.address();
  process.env.QUORUM_SMS_PROVIDER = "android-sms-gateway";
  process.env.QUORUM_SMS_GATEWAY_SIGNING_KEY = "gateway-signing-key-for-tests";
  process.env.QUORUM_SMS_GATEWAY_USER = "sms";
  process.env.QUORUM_SMS_GATEWAY_PASSWORD = "gateway password";
  process.env.QUORUM_SMS_GATEWAY_URL = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  process.env.QUORUM_CODE_SECRET ??= "an integration test secret, long enough to be one";
  return { gateway, sent, failures };
});

let database: TestDatabase;
let consultation: ConsultationView;

beforeAll(async () => {
  database = await createTestDatabase();
  setDatabaseForTests(database);
  consultation = await makeConsultation(database.db, { smsKeyword: "TEXTO" });
  setGatewayRetryDelaysForTests([50, 100, 200]);
});
afterAll(async () => {
  await gatewaySendsSettled();
  await new Promise((resolve) => gateway.close(resolve));
  await database.dispose();
});
beforeEach(() => {
  sent.length = 0;
  failures.length = 0;
});

/** The gateway's signature, as its docs describe it: hex HMAC-SHA256 of the raw body followed by the timestamp. */
const sign = (body: string, timestamp: string, key = KEY) =>
  createHmac("sha256", key)
    .update(body + timestamp)
    .digest("hex");

let events = 0;

/** Posts a webhook as the phone would. `signature: null` sends none. */
async function post(body: string, options: { timestamp?: number; signature?: string | null } = {}): Promise<Response> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = options.signature === undefined ? sign(body, timestamp) : options.signature;
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Timestamp": timestamp };
  if (signature !== null) headers["X-Signature"] = signature;
  const request = new Request(`http://localhost${urls.sms.gateway()}`, { method: "POST", body, headers });
  return (await gatewayRoute.action({ request, params: {}, context: {} } as never)) as Response;
}

/** An `sms:received` event as in the docs' example payload. */
function received(sender: string, message: string, id = `evt${++events}-${randomUUID().slice(0, 8)}`, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    deviceId: "ffffffffceb0b1db0000018e937c815b",
    event: "sms:received",
    id,
    payload: {
      // Content-based: the same for the same text, which is why Quorum does not key on it.
      messageId: createHmac("sha1", "x").update(message).digest("hex").slice(0, 8),
      message,
      sender,
      recipient: "+33757591234",
      simNumber: 1,
      receivedAt: new Date().toISOString(),
      ...extra,
    },
    webhookId: "LreFUt-Z3sSq0JufY9uWB",
  });
}

/** A resident's phone texting the commune's gateway; `send` gives the one reply that reached the fake gateway. */
function phone(number: string) {
  return {
    async send(message: string, id?: string): Promise<string> {
      const before = sent.length;
      const response = await post(received(number, message, id));
      expect(response.status, message).toBe(200);
      await gatewaySendsSettled();
      const replies = sent.slice(before);
      expect(replies, message).toHaveLength(1);
      const [reply] = replies;
      expect(reply.path).toBe("/message");
      expect(reply.query.get("skipPhoneValidation")).toBe("true");
      expect(reply.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`);
      expect(reply.body.phoneNumbers).toEqual([number]);
      expect(reply.body.simNumber).toBe(1);
      return reply.body.textMessage?.text ?? "";
    },
  };
}

const receiptIn = (reply: string) => /(?:code :|Receipt:) ([2-9A-HJKMNP-Z]{8})\b/.exec(reply)?.[1];

async function answersStored(): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(responses).where(eq(responses.consultationId, consultation.id));
  return Number(row.n);
}

describe("answering through an Android phone as SMS gateway", () => {
  it("runs a whole conversation: every reply reaches the gateway addressed to the sender, and the receipt reads counted", async () => {
    const p = phone("+33612345611");
    const intro = await p.send("TEXTO");
    expect(intro).toContain("Q1/9");
    expect(intro).toContain("/fr/c/");
    expect(await p.send("7")).toContain("Répondez par un chiffre de 1 à 5.");
    expect(await p.send("4")).toContain("Q2/9");
    for (const reply of ["1", "1", "1 2 3 4", "Devant la mairie", "PASSER", "1", "1"]) expect(await p.send(reply)).not.toBe("");
    expect(await p.send("1")).toContain("OUI pour envoyer");
    const before = await answersStored();
    const done = await p.send("OUI");
    const receipt = receiptIn(done);
    expect(receipt, done).toBeTruthy();
    expect(await answersStored()).toBe(before + 1);

    const page = (await receiptRoute.loader({
      request: new Request(`http://localhost${urls.receipt("fr", receipt!)}`),
      params: { lang: "fr", code: receipt! },
      context: {},
    } as never)) as Response;
    expect(page.status).toBe(200);
    expect(((await page.json()) as { receivedAt: string | null }).receivedAt).toBeTruthy();
  });

  it("a repeated event (the same id) gets no second reply and moves nothing; the same text with a new id is a new message", async () => {
    const p = phone("+33612345612");
    await p.send("TEXTO");
    const mark = sent.length;
    const event = received("+33612345612", "4", "repeat-event-1");
    expect((await post(event)).status).toBe(200);
    await gatewaySendsSettled();
    expect(sent.slice(mark)).toHaveLength(1);
    expect(sent[mark].body.textMessage?.text).toContain("Q2/9");
    // The phone sends it again (its retry after a lost answer): re-signed, the same id.
    expect((await post(event)).status).toBe(200);
    await gatewaySendsSettled();
    expect(sent.slice(mark)).toHaveLength(1);
    // The conversation moved once: the next answer is to Q2.
    expect(await p.send("1")).toContain("Q3/9");
  });

  it("a repeated final event stores the answer once and sends the receipt once", async () => {
    const p = phone("+33612345613");
    await p.send("TEXTO");
    for (const reply of ["4", "1", "1", "1 2 3 4", "Ici", "PASSER", "1", "1", "1"]) await p.send(reply);
    const before = await answersStored();
    const mark = sent.length;
    const last = received("+33612345613", "OUI", "repeat-final-1");
    expect((await post(last)).status).toBe(200);
    expect((await post(last)).status).toBe(200);
    await gatewaySendsSettled();
    expect(sent.slice(mark)).toHaveLength(1);
    expect(receiptIn(sent[mark].body.textMessage?.text ?? "")).toBeTruthy();
    expect(await answersStored()).toBe(before + 1);
  });

  it("refuses a bad, missing, stale or future signature with 403 and handles nothing", async () => {
    const body = received("+33612345614", "TEXTO");
    const now = Math.floor(Date.now() / 1000);
    expect((await post(body, { signature: "00".repeat(32) })).status).toBe(403);
    expect((await post(body, { signature: sign(body, String(now), "another key") })).status).toBe(403);
    expect((await post(body, { signature: null })).status).toBe(403);
    expect((await post(body, { signature: "not hex" })).status).toBe(403);
    // Signed properly, but ten minutes ago or ahead: the docs' ±5 minutes against replays.
    expect((await post(body, { timestamp: now - 600 })).status).toBe(403);
    expect((await post(body, { timestamp: now + 600 })).status).toBe(403);
    // A body changed after signing.
    const timestamp = String(now);
    const headers = { "X-Timestamp": timestamp, "X-Signature": sign(body, timestamp) };
    const changed = new Request(`http://localhost${urls.sms.gateway()}`, { method: "POST", body: body.replace("TEXTO", "STOP!"), headers });
    expect(((await gatewayRoute.action({ request: changed, params: {}, context: {} } as never)) as Response).status).toBe(403);
    await gatewaySendsSettled();
    expect(sent).toHaveLength(0);
  });

  it("answers a malformed body 400, other events 204, and sends nothing for them", async () => {
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ event: "sms:received", id: "x1", payload: { message: "TEXTO" } }))).status).toBe(400);
    expect((await post(JSON.stringify({ event: "sms:received", payload: { message: "TEXTO", sender: "+33600000000" } }))).status).toBe(400);
    expect((await post("[]")).status).toBe(400);
    const sentEvent = JSON.stringify({ event: "sms:sent", id: "x2", payload: { messageId: "m", recipient: "+33600000000", partsCount: 1 } });
    expect((await post(sentEvent)).status).toBe(204);
    expect((await post(JSON.stringify({ event: "system:ping", id: "x3", payload: { health: {} } }))).status).toBe(204);
    // A text the phone received two days ago (it was offline): too old to be told from a new one.
    expect((await post(received("+33612345615", "TEXTO", "old-1", { receivedAt: new Date(Date.now() - 48 * 3600_000).toISOString() }))).status).toBe(204);
    await gatewaySendsSettled();
    expect(sent).toHaveLength(0);
  });

  it("takes the sender from `phoneNumber` when an older app sends no `sender`", async () => {
    const body = JSON.stringify({
      event: "sms:received",
      id: "legacy-1",
      payload: { messageId: "ab12", message: "TEXTO", phoneNumber: "+33612345616", simNumber: null },
    });
    expect((await post(body)).status).toBe(200);
    await gatewaySendsSettled();
    expect(sent).toHaveLength(1);
    expect(sent[0].body.phoneNumbers).toEqual(["+33612345616"]);
    expect(sent[0].body).not.toHaveProperty("simNumber");
  });

  it("answers the phone at once when the gateway is down, and sends the reply once it is back", async () => {
    failures.push(503, 503);
    const response = await post(received("+33612345617", "TEXTO", "retry-1"));
    expect(response.status).toBe(200);
    await gatewaySendsSettled();
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.body.textMessage?.text)).size).toBe(1);
    expect(sent[2].body.textMessage?.text).toContain("Q1/9");
  });

  it("gives up on a reply the gateway refuses for good (wrong credentials) without trying again", async () => {
    failures.push(401);
    expect((await post(received("+33612345618", "TEXTO", "refused-1"))).status).toBe(200);
    await gatewaySendsSettled();
    expect(sent).toHaveLength(1);
  });
});

describe("the address replies are sent to", () => {
  it.each([
    ["http://192.168.1.20:8080", "http://192.168.1.20:8080/message?skipPhoneValidation=true"],
    ["http://192.168.1.20:8080/", "http://192.168.1.20:8080/message?skipPhoneValidation=true"],
    ["https://api.sms-gate.app/3rdparty/v1", "https://api.sms-gate.app/3rdparty/v1/messages?skipPhoneValidation=true"],
    ["https://sms.example.org/api/3rdparty/v1/", "https://sms.example.org/api/3rdparty/v1/messages?skipPhoneValidation=true"],
    ["https://api.sms-gate.app/3rdparty/v1/message", "https://api.sms-gate.app/3rdparty/v1/message?skipPhoneValidation=true"],
  ])("%s → %s", (configured, expected) => {
    expect(gatewaySendUrl(configured).toString()).toBe(expected);
  });
});

describe("the gateway's settings", () => {
  it("refuse to start without the signing key or the API address", () => {
    const given = { QUORUM_SMS_PROVIDER: "android-sms-gateway", QUORUM_SMS_GATEWAY_SIGNING_KEY: "k", QUORUM_SMS_GATEWAY_URL: "http://192.168.1.20:8080" };
    expect(parseEnv(given).QUORUM_SMS_GATEWAY_URL).toBe("http://192.168.1.20:8080");
    expect(() => parseEnv({ ...given, QUORUM_SMS_GATEWAY_SIGNING_KEY: "" })).toThrow(/QUORUM_SMS_GATEWAY_SIGNING_KEY/);
    expect(() => parseEnv({ ...given, QUORUM_SMS_GATEWAY_URL: "" })).toThrow(/QUORUM_SMS_GATEWAY_URL/);
  });
});
