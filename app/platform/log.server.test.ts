import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLog, errorFields, scrub } from "./log.server";

/** A logger writing into an array of parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLog({ level: "info", destination }), lines };
}

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

/** Values that came from a request: none may reach a log line. */
const SECRET_NEXT = "/en/staff/../../%5Cevil.example/phish";
const SECRET_HOST = "attacker-host.example";
const SECRET_QUESTION = "q-1234-secret-question-id";

describe("log lines", () => {
  it("carry no value from a header the runtime refused (a next with CR/LF or U+2028)", () => {
    for (const location of [`${SECRET_NEXT}\r\nSet-Cookie: x=1`, `${SECRET_NEXT}\u2028`]) {
      const error = caught(() => new Headers({ Location: location }));
      const fields = JSON.stringify(errorFields(error));
      expect(fields).not.toContain("evil.example");
      expect(fields).not.toContain("Set-Cookie");
      expect(fields).toContain("TypeError");
    }
  });

  it("carry no Host or query string from a URL the runtime could not parse", () => {
    const error = caught(() => new Request(`http://${SECRET_HOST} x/en/staff/login?next=${SECRET_NEXT}`));
    const fields = JSON.stringify(errorFields(error));
    expect(fields).not.toContain(SECRET_HOST);
    expect(fields).not.toContain("next=");
  });

  it("carry no value a database error quotes, nor the parameters a driver appends", () => {
    const pg = Object.assign(new Error(`invalid input syntax for type uuid: "${SECRET_QUESTION}"`), { code: "22P02" });
    expect(errorFields(pg)).toEqual({ error: "Error", message: 'invalid input syntax for type uuid: "…"', code: "22P02" });
    const drizzle = new Error(`Failed query: select * from questions where id = $1\nparams: ${SECRET_QUESTION}`);
    expect(JSON.stringify(errorFields(drizzle))).not.toContain(SECRET_QUESTION);
  });

  it("are scrubbed whoever writes them, whatever the field", () => {
    const { log, lines } = capture();
    log.error({ error: `Failed to parse URL from http://${SECRET_HOST}/en/staff?next=${SECRET_NEXT}`, path: "/en/staff/login?next=x" }, "request failed");
    log.error({ detail: { nested: `bad value '${SECRET_QUESTION}'` } }, "editor failed");
    log.error(new Error(`no question "${SECRET_QUESTION}"`), "thrown");
    log.info({ host: SECRET_HOST, query: `next=${SECRET_NEXT}` }, "request");
    const text = JSON.stringify(lines);
    for (const secret of [SECRET_HOST, SECRET_QUESTION, "evil.example", "next="]) expect(text, secret).not.toContain(secret);
    expect(lines[0]).toMatchObject({ msg: "request failed", path: "/en/staff/login?…" });
    expect(lines).toHaveLength(4);
  });

  it("keep what they are for: the route path, method, status, a fixed message", () => {
    const { log, lines } = capture();
    log.info({ id: "abc-123", method: "POST", path: "/en/staff/consultations/demo/questions", status: 400, ms: 12.5 }, "request");
    expect(lines[0]).toMatchObject({ id: "abc-123", method: "POST", path: "/en/staff/consultations/demo/questions", status: 400, ms: 12.5, msg: "request" });
  });

  it("cannot be split by a line break in a value", () => {
    expect(scrub("first\nsecond\u2028third\rfourth")).toBe("first second third fourth");
  });
});
