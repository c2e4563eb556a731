import { describe, expect, it } from "vitest";
import { parseEnv } from "~/platform/env.server";

const PG = "postgres://postgres@127.0.0.1:5432/quorum";

describe("the demo consultation is seeded", () => {
  it("on the embedded database by default (the quick start)", () => {
    expect(parseEnv({}).QUORUM_SEED_DEMO).toBe(true);
  });

  it("not on PostgreSQL by default (a deployment shows residents no demo)", () => {
    expect(parseEnv({ DATABASE_URL: PG }).QUORUM_SEED_DEMO).toBe(false);
  });

  it("on PostgreSQL only when asked explicitly, and never when refused", () => {
    expect(parseEnv({ DATABASE_URL: PG, QUORUM_SEED_DEMO: "true" }).QUORUM_SEED_DEMO).toBe(true);
    expect(parseEnv({ DATABASE_URL: PG, QUORUM_SEED_DEMO: "1" }).QUORUM_SEED_DEMO).toBe(true);
    expect(parseEnv({ QUORUM_SEED_DEMO: "false" }).QUORUM_SEED_DEMO).toBe(false);
  });

  it("a value that is not one stops start-up with the variable's name", () => {
    expect(() => parseEnv({ QUORUM_SEED_DEMO: "yes" })).toThrow(/QUORUM_SEED_DEMO/);
  });
});
