/**
 * The baseline Quorum is measured against: a bare `node:http` server with
 * `postgres` doing the same work per answer — parse the form, the same single
 * statement inserting the response (idempotent on the submission id) and its
 * answers (`STORE_RESPONSE`, prepared), a 303 with the receipt — and, for GETs,
 * the same page with a fresh submission id, gzipped when the client accepts it.
 * No framework, no validation beyond what the insert needs.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import postgres from "postgres";
import { receiptCodeFor } from "../app/domain/responses/receipt";
import { STORE_RESPONSE, storeResponseParams } from "../app/domain/responses/submit.server";
import type { ParsedAnswer } from "../app/domain/responses/validate.server";

const [, , databaseUrl, portArg, slug, pageFile] = process.argv;
const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
const page = pageFile ? await import("node:fs").then((fs) => fs.readFileSync(pageFile, "utf8")) : "ok";
const ID = /(name="submission_id" value=")[0-9a-f-]{36}(")/;
const at = page.search(ID);
const [before, after] =
  at === -1 ? [page, ""] : [page.slice(0, at + 'name="submission_id" value="'.length), page.slice(at + 'name="submission_id" value="'.length + 36)];

const [consultation] = await sql`select id from consultations where slug = ${slug}`;
const qs = await sql`select id, code, kind from questions where consultation_id = ${consultation.id}`;
const opts =
  await sql`select o.id, o.code, q.code as question from options o join questions q on q.id = o.question_id where q.consultation_id = ${consultation.id}`;
const question = new Map(qs.map((q) => [q.code as string, q]));
const option = new Map(opts.map((o) => [`${o.question}:${o.code}`, o.id as string]));

const server = createServer((req, res) => {
  if (req.method === "GET") {
    let body = Buffer.from(at === -1 ? before : `${before}${randomUUID()}${after}`);
    const headers: Record<string, string | number> = { "Content-Type": "text/html; charset=utf-8", Vary: "Accept-Encoding" };
    if (/\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      body = gzipSync(body);
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers);
    res.end(body);
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    try {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      const submissionId = form.get("submission_id")!;
      const receipt = await receiptCodeFor(submissionId);
      const answers: ParsedAnswer[] = [];
      for (const [code, q] of question) {
        const values = form.getAll(`q.${code}`);
        if (!values.length) continue;
        const answer = {
          questionId: q.id as string,
          optionIds: null as string[] | null,
          number: null as number | null,
          text: null as string | null,
          preferNot: false,
        };
        if (q.kind === "scale") answer.number = Number(values[0]);
        else if (q.kind === "long_text" || q.kind === "short_text") answer.text = values[0];
        else answer.optionIds = values.map((v) => option.get(`${code}:${v}`)!).filter(Boolean);
        answers.push(answer);
      }
      const params = storeResponseParams({
        consultationId: consultation.id,
        submissionId,
        receiptCode: receipt,
        locale: "fr",
        channel: "web",
        receivedAt: new Date(),
        answers,
      });
      await sql.unsafe(STORE_RESPONSE, params as postgres.ParameterOrJSON<never>[], { prepare: true });
      res.writeHead(303, { Location: `/fr/consultations/${slug}/thanks/${receipt}` });
      res.end();
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
});
server.listen(Number(portArg), "127.0.0.1", () => console.log("bare ready"));
process.on("SIGTERM", () => server.close(() => sql.end().then(() => process.exit(0))));
