/** Fixtures written straight to the database through the domain functions. */
import type { Db } from "#db/client";
import { demoConsultation } from "~/domain/consultations/demo";
import { createConsultation, getConsultationBySlug } from "~/domain/consultations/queries.server";
import type { ConsultationSpec, ConsultationView } from "~/domain/consultations/types";
import { createStaff } from "~/domain/staff/accounts.server";

let counter = 0;

/** The demo questionnaire under a fresh slug, with whatever overrides. */
export async function makeConsultation(db: Db, overrides: Partial<ConsultationSpec> = {}): Promise<ConsultationView> {
  const spec = { ...demoConsultation(new Date()), slug: `test-${Date.now()}-${counter++}`, ...overrides };
  await createConsultation(db, spec);
  return (await getConsultationBySlug(db, spec.slug))!;
}

/** A FormData-like from a plain list of pairs. */
export function form(pairs: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of pairs) f.append(k, v);
  return f;
}

/** A complete, valid answer to the demo questionnaire. */
export const validDemoAnswer: [string, string][] = [
  ["q.support", "4"],
  ["q.measures", "air"],
  ["q.measures", "noise"],
  ["q.retention", "30d"],
  ["q.priorities.rank.hours", "2"],
  ["q.priorities.rank.alerts", "1"],
  ["q.priorities.rank.trees", "3"],
  ["q.priorities.rank.opendata", "4"],
  ["q.elsewhere", "Près de l’école"],
  ["q.comments", "Merci de publier les données.\nEt de les garder peu de temps."],
  ["q.area", "rural"],
  ["q.age", "__prefer_not"],
];

/** A staff account made through the domain (argon2id and all); its id. */
export async function makeOfficial(db: Db, email = "official@example.org"): Promise<string> {
  const made = await createStaff(db, { email, password: "long enough password", role: "official" });
  if (!made.ok) throw new Error(`makeOfficial: ${made.reason}`);
  return made.user.id;
}
