/**
 * Answering by text message, as Twilio delivers it: whole conversations posted to `/sms/twilio`
 * with signatures made as Twilio documents them (computed here, not by Quorum's validator), the
 * TwiML replies read with a strict XML parser, each receipt checked on its public page, and the
 * stored rows read for their channel and for any trace of the phone number. No browser.
 */
import { createHmac } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import postgres from "postgres";
import { E2E } from "./fixtures";
import { SMS } from "../../playwright.config";

test.describe.configure({ mode: "serial" });

/** Twilio's signature: HMAC-SHA1 of the URL and each posted field's name and value, sorted by name, in base64. */
function twilioSignature(url: string, fields: Record<string, string>): string {
  const data = Object.keys(fields)
    .sort()
    .reduce((acc, key) => acc + key + fields[key], url);
  return createHmac("sha1", SMS.twilioToken).update(Buffer.from(data, "utf8")).digest("base64");
}

let sid = 0;

/** A resident's phone, texting Quorum's number through Twilio. */
function phone(request: APIRequestContext, baseURL: string, number: string) {
  const url = `${baseURL}/sms/twilio`;
  return {
    number,
    async post(body: string, options: { messageSid?: string; signature?: string | null } = {}) {
      const fields = {
        MessageSid: options.messageSid ?? `SM${Date.now()}${++sid}`.padEnd(34, "0"),
        AccountSid: "AC00000000000000000000000000000000",
        From: number,
        To: SMS.number,
        Body: body,
        NumMedia: "0",
      };
      const signature = options.signature === undefined ? twilioSignature(url, fields) : options.signature;
      return request.post(url, { form: fields, headers: signature === null ? {} : { "X-Twilio-Signature": signature } });
    },
    /** Sends and returns the text of the reply, checking it is well-formed TwiML. */
    async send(body: string, messageSid?: string): Promise<string> {
      const response = await this.post(body, { messageSid });
      expect(response.status(), body).toBe(200);
      expect(response.headers()["content-type"]).toMatch(/^text\/xml/);
      return replyText(await response.text());
    },
  };
}

/** The message in a TwiML reply (empty when there is none), after a strict parse. */
function replyText(xml: string): string {
  expect(XMLValidator.validate(xml), xml).toBe(true);
  const parsed = new XMLParser({ ignoreDeclaration: true, processEntities: true, parseTagValue: false }).parse(xml) as {
    Response: string | { Message?: string | string[] };
  };
  expect(parsed).toHaveProperty("Response");
  const message = typeof parsed.Response === "object" ? parsed.Response.Message : undefined;
  return Array.isArray(message) ? message.join("\n") : (message ?? "");
}

/** Every row of the tables an SMS touches, as text, when the server runs on PostgreSQL. */
async function everyRowAsText(): Promise<string | null> {
  if (!process.env.DATABASE_URL) return null;
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const tables = ["sms_conversations", "sms_messages", "sms_phone_answers", "responses", "answers", "rate_limits", "audit_log", "meta"];
    let all = "";
    for (const table of tables) for (const row of await sql.unsafe(`select row_to_json(t)::text as j from ${table} t`)) all += `${row.j as string}\n`;
    return all;
  } finally {
    await sql.end();
  }
}

async function channelOf(receipt: string): Promise<string | null> {
  if (!process.env.DATABASE_URL) return null;
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ channel: string }[]>`select channel from responses where receipt_code = ${receipt}`;
    return row?.channel ?? "none";
  } finally {
    await sql.end();
  }
}

/** The receipt code a final reply gives (8 symbols of the receipt alphabet). */
const receiptIn = (reply: string) => /(?:code :|Receipt:) ([2-9A-HJKMNP-Z]{8})\b/.exec(reply)?.[1];

test("a resident answers in French by SMS: every kind of question, a wrong reply, a correction, a receipt that reads counted", async ({ request, baseURL }) => {
  const p = phone(request, baseURL!, "+33 6 12 34 56 01");
  const intro = await p.send(SMS.keyword);
  expect(intro).toContain("Q1/9");
  expect(intro).toContain(`${baseURL}/fr/c/`);
  expect(await p.send("7")).toContain("Répondez par un chiffre de 1 à 5.");
  expect(await p.send("4")).toContain("Q2/9");
  expect(await p.send("2 3")).toContain("Q3/9");
  expect(await p.send("b")).toContain("Q4/9");
  // A ranking that gives a number twice is refused with its rule.
  expect(await p.send("1 1 2 3")).toContain("deux fois");
  expect(await p.send("3 1 2 4")).toContain("Q5/9");
  expect(await p.send("Devant la mairie")).toContain("Q6/9");
  expect(await p.send("Merci de demander")).toContain("Q7/9");
  expect(await p.send("1")).toContain("Q8/9");
  expect(await p.send("3")).toContain("Q9/9");
  const recap = await p.send("1");
  expect(recap).toContain("1) 4/5");
  expect(recap).toContain("OUI pour envoyer");
  expect(await p.send("CORRIGER 1")).toContain("Q1/9");
  expect(await p.send("5")).toContain("1) 5/5");
  const done = await p.send("OUI");
  const receipt = receiptIn(done);
  expect(receipt, done).toBeTruthy();

  // The receipt, on the public page a resident would open.
  const page = await request.get(`${baseURL}/fr/receipts/${receipt}`);
  expect(page.status()).toBe(200);
  expect(await page.text()).toMatch(/compt/i);
  const channel = await channelOf(receipt!);
  if (channel !== null) expect(channel).toBe("sms");
});

test("in English, in code mode: the household code first, a wrong code, STOP forgets, the answer counted with its code spent", async ({ request, baseURL }) => {
  const p = phone(request, baseURL!, "+44 7700 900123");
  const menu = await p.send("HELLO");
  expect(menu).toContain("open consultations");
  expect(await p.send("STOP")).toContain("No more messages from Quorum");
  const started = await p.send(`${SMS.codeKeyword}`);
  // French until the resident asks: the keyword alone starts in French; EN switches.
  const english = started.includes("Send your household") ? started : await p.send("EN");
  expect(english).toContain("Send your household");
  expect(await p.send("NOPE-NOPE1")).toContain("not known");
  expect(await p.send(E2E.smsCodes[0])).toContain("Q1/9");
  for (const reply of ["3", "1", "a", "4 3 2 1", "Market square", "SKIP", "2", "1"]) await p.send(reply);
  const recap = await p.send("2");
  expect(recap).toContain("YES to send");
  const done = await p.send("yes");
  const receipt = receiptIn(done);
  expect(receipt, done).toBeTruthy();
  const page = await request.get(`${baseURL}/en/receipts/${receipt}`);
  expect(await page.text()).toMatch(/counted/i);

  // The same code from another phone is refused as used.
  const other = phone(request, baseURL!, "+44 7700 900124");
  await other.send(SMS.codeKeyword);
  expect(await other.send(E2E.smsCodes[0])).toMatch(/déjà servi|used already/);
});

test("a provider's repeat gets the same reply and stores nothing twice; a bad or missing signature is 403; a closed consultation says so", async ({
  request,
  baseURL,
}) => {
  const p = phone(request, baseURL!, "+33 6 12 34 56 03");
  await p.send(SMS.keyword);
  for (const reply of ["4", "1", "1", "1 2 3 4", "Ici", "PASSER", "1", "1"]) await p.send(reply);
  await p.send("1");
  const first = await p.send("OUI", "SMrepeat0000000000000000000000001");
  const again = await p.send("OUI", "SMrepeat0000000000000000000000001");
  expect(again).toBe(first);
  // A new "OUI" after the end starts nothing twice: the conversation is over.
  expect(await p.send("OUI")).not.toContain(receiptIn(first)!);

  const forged = await p.post("1", { signature: "bm90IGEgc2lnbmF0dXJl" });
  expect(forged.status()).toBe(403);
  const unsigned = await p.post("1", { signature: null });
  expect(unsigned.status()).toBe(403);

  const closed = phone(request, baseURL!, "+33 6 12 34 56 04");
  expect(await closed.send(SMS.closedKeyword)).toContain("ne prend plus de réponses");
});

test("no phone number is kept anywhere the SMS touched", async () => {
  const all = await everyRowAsText();
  test.skip(all === null, "reads the database directly: PostgreSQL only (DATABASE_URL)");
  for (const number of ["612345601", "7700900123", "7700900124", "612345603", "612345604"]) expect(all!.replace(/\D+/g, " ")).not.toContain(number);
});
