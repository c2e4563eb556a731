/**
 * The layer rule (eslint.config.js, eslint-plugin-boundaries) fails the lint
 * when a layer is crossed: each probe below is linted as if it were a file at
 * that path, through the project's own configuration.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, { filePath });
  return result.messages.filter((m) => m.ruleId === "boundaries/dependencies").map((m) => m.message);
}

describe("the layer rule", () => {
  it.each([
    [
      "db/ importing the domain through ~/",
      "db/probe.ts",
      'import type { ConsultationSpec } from "~/domain/consultations/types";\nexport type T = ConsultationSpec;',
    ],
    ["db/ importing app/ by a relative path", "db/probe.ts", 'import { loadEnv } from "../app/platform/env.server";\nexport const f = loadEnv;'],
    ["the domain importing a component", "app/domain/probe.ts", 'import { Questionnaire } from "~/components/Questionnaire";\nexport const c = Questionnaire;'],
    ["the domain re-exporting a route", "app/domain/probe.ts", 'export { loader } from "~/routes/resident/layout";'],
    ["the domain importing Remix", "app/domain/probe.ts", 'import { json } from "@remix-run/node";\nexport const j = json;'],
    ["the domain importing React", "app/domain/probe.ts", 'import { useState } from "react";\nexport const u = useState;'],
    ["a route importing lucia", "app/routes/probe.tsx", 'import { Lucia } from "lucia";\nexport const l = Lucia;'],
    ["a route importing drizzle-orm", "app/routes/staff/probe.tsx", 'import { eq } from "drizzle-orm";\nexport const e = eq;'],
    ["a route importing drizzle-orm/*", "app/routes/probe.tsx", 'import type { PgDatabase } from "drizzle-orm/pg-core";\nexport type D = PgDatabase<never>;'],
    ["a route importing #db/*", "app/routes/staff/probe.tsx", 'import { referenceShares } from "#db/schema";\nexport const r = referenceShares;'],
    ["a route importing db/ by a relative path", "app/routes/probe.ts", 'import { ping } from "../../db/client";\nexport const p = ping;'],
    ["a component importing #db/*", "app/components/probe.tsx", 'import { QUESTION_KINDS } from "#db/schema";\nexport const k = QUESTION_KINDS;'],
    ["a component importing drizzle-orm", "app/components/probe.tsx", 'import { sql } from "drizzle-orm";\nexport const q = sql;'],
    ["app/web/ importing drizzle-orm", "app/web/probe.ts", 'import { eq } from "drizzle-orm";\nexport const e = eq;'],
    ["server/ importing drizzle-orm", "server/probe.ts", 'import { eq } from "drizzle-orm";\nexport const e = eq;'],
    [
      "a script importing @lucia-auth/*",
      "scripts/probe.ts",
      'import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";\nexport const a = DrizzlePostgreSQLAdapter;',
    ],
  ])("refuses %s", async (_label, filePath, code) => {
    expect(await layerErrors(filePath, code)).toHaveLength(1);
  });

  it.each([
    [
      "the domain importing db/ and itself",
      "app/domain/probe.ts",
      'import { consultations } from "#db/schema";\nimport { DEFAULT_MAX_LENGTH } from "./consultations/types";\nexport const x = [consultations, DEFAULT_MAX_LENGTH];',
    ],
    [
      "a component importing the domain",
      "app/components/probe.tsx",
      'import type { FormQuestion } from "~/domain/consultations/present";\nexport type Q = FormQuestion;',
    ],
    ["app/auth/ importing lucia", "app/auth/probe.ts", 'import { Lucia } from "lucia";\nexport const l = Lucia;'],
    [
      "a route importing a domain query and the lists it re-exports",
      "app/routes/probe.tsx",
      'import { listReferenceShares } from "~/domain/references/references.server";\nimport { DEMOGRAPHICS } from "~/domain/consultations/lists";\nexport const x = [listReferenceShares, DEMOGRAPHICS];',
    ],
    ["app/web/ importing the db handle's type", "app/web/probe.ts", 'import type { Db } from "#db/client";\nexport type D = Db;'],
  ])("allows %s", async (_label, filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });
});
