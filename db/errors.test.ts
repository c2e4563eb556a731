import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../tests/helpers/db";
import { isDatabaseUnavailable, isUniqueViolation, pgError } from "./errors";
import { consultations } from "./schema";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.dispose());

const texts = { fr: {}, en: {} } as never;

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the statement to fail");
}

describe("reading PostgreSQL errors", () => {
  it("names the unique index a duplicate violates, whichever driver and however drizzle wraps it", async () => {
    await database.db.insert(consultations).values({ slug: "errors-dup", texts });
    const error = await failure(() => database.db.insert(consultations).values({ slug: "errors-dup", texts }));
    expect(pgError(error)).toEqual({ code: "23505", constraint: "consultations_slug_key" });
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, "consultations_slug_key")).toBe(true);
    expect(isUniqueViolation(error, "responses_receipt_code_key")).toBe(false);
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("tells other database errors from a unique violation", async () => {
    const error = await failure(() => database.db.execute(sql`select 1 / 0`));
    expect(pgError(error).code).toBe("22012");
    expect(isUniqueViolation(error)).toBe(false);
  });

  it("recognises an unreachable database several causes deep, and nothing else", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(isDatabaseUnavailable(new Error("query failed", { cause: new Error("wrapped", { cause: refused }) }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(new Error("plain"))).toBe(false);
    expect(pgError(new Error("plain"))).toEqual({});
    expect(pgError(refused)).toEqual({});
  });
});
