import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/db";
import { form, makeConsultation } from "../../../tests/helpers/fixtures";
import type { ConsultationView } from "../consultations/types";
import { listFreeText, moderate } from "../moderation/moderation.server";
import { submitResponse } from "../responses/submit.server";
import { parseAnswers } from "../responses/validate.server";
import { csvStream, exportColumns, exportRows, jsonStream, neutralise } from "./raw.server";

let database: TestDatabase;
let c: ConsultationView;
const HOSTILE = [
  '=HYPERLINK("http://evil.example","click")',
  "+1",
  "@SUM(A1:A9)",
  "-2+3",
  "\tTab first",
  "  =1+1 after spaces",
  'Élise à l’école\nligne 2, avec "guillemets"; et des virgules',
];

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  database = await createTestDatabase();
  c = await makeConsultation(database.db);
  for (const [i, text] of HOSTILE.entries()) {
    const parsed = parseAnswers(
      c.questions,
      form([
        ["q.support", String((i % 5) + 1)],
        ["q.measures", "air"],
        ["q.measures", "__other"],
        ["q.measures.other", text],
        ["q.retention", "30d"],
        ["q.comments", text],
        ["q.area", "rural"],
      ]),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    // One second apart, as residents' answers arrive: the export lists them in received order.
    const now = new Date(Date.now() - (HOSTILE.length - i) * 1000);
    await submitResponse(database.db, { consultation: c, submissionId: crypto.randomUUID(), locale: "fr", channel: "web", answers: parsed.answers, now });
  }
  const first = (await listFreeText(database.db, c.id, { questionCode: "comments" })).items.at(-1)!;
  await moderate(database.db, null as unknown as string, c.id, first.answerId, "hide", "test");
});
afterAll(() => database.dispose());

describe("the raw CSV export", () => {
  it("reads back through a real CSV parser with every cell intact and none a spreadsheet would run", async () => {
    const csv = await collect(csvStream(exportColumns(c), exportRows(database.db, c, "fr", "Europe/Paris", 4)));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const records: Record<string, string>[] = parse(csv, { bom: true, columns: true, relax_column_count: false });
    expect(records).toHaveLength(HOSTILE.length);
    for (const [i, text] of HOSTILE.entries()) {
      const r = records[i];
      const stored = text.trim(); // answers are stored trimmed: "\tTab first" arrives as "Tab first"
      const expected = /^[=+\-@\t\r\n]/.test(stored) ? `'${stored}` : stored;
      expect(r.comments).toBe(expected);
      expect(r["measures_other"]).toBe(expected);
      expect(r.response).toBe(String(i + 1));
      expect(r.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const r of records) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r\n]/);
    expect(records[0].comments_hidden).toBe("true");
    expect(records[1].comments_hidden).toBe("false");
    expect(records[0]["measures.air"]).toBe("1");
    expect(records[0]["measures.noise"]).toBe("0");
    expect(records[0].measures).toBe("air;other");
    expect(records[0].retention).toBe("30d");
    expect(records[0].retention_label).toBe("30 jours");
  });

  it("has no receipt code, participation code, address or time finer than the day", async () => {
    const cols = exportColumns(c).map((col) => col.key);
    for (const forbidden of ["receipt", "receipt_code", "submission_id", "participation_code", "ip", "received_at", "user_agent"])
      expect(cols).not.toContain(forbidden);
  });

  it("streams the same rows as JSON", async () => {
    const json = JSON.parse(await collect(jsonStream({ slug: c.slug }, exportColumns(c), exportRows(database.db, c, "en", "Europe/Paris", 2))));
    expect(json.consultation.slug).toBe(c.slug);
    expect(json.responses).toHaveLength(HOSTILE.length);
    expect(json.responses[6].comments).toBe(HOSTILE[6]);
    expect(json.responses[0].retention_label).toBe("30 days");
  });
});

describe("a cell a spreadsheet would run as a formula", () => {
  it("is neutralised in its ASCII, fullwidth and small forms, and in no other case", () => {
    for (const starter of ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫", "−"]) {
      const cell = `${starter}HYPERLINK("http://x.example")`;
      expect(neutralise(cell), JSON.stringify(starter)).toBe(`'${cell}`);
    }
    for (const cell of ["Plain text", "1-2", "a=b", " =1", "", "é=1"]) expect(neutralise(cell)).toBe(cell);
    expect(neutralise(-3)).toBe(-3);
    expect(neutralise(null)).toBe(null);
  });
});
