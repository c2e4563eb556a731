/** What every staff route does first: language, origin, role, database — then the consultation when there is one. */
import type { Params } from "@remix-run/react";
import type { ZodError } from "zod";
import { requireSameOrigin } from "./auth/origin.server";
import type { Permission } from "./auth/permissions";
import { requireStaff, type Staff } from "./auth/session.server";
import { getDb } from "./db.server";
import { contentChanged } from "./domain/consultations/cache.server";
import { getConsultationBySlug } from "./domain/consultations/queries.server";
import type { ConsultationView } from "./domain/consultations/types";
import type { FieldError } from "./domain/responses/fields";
import { notFound, requireLang } from "./http.server";
import type { Lang } from "./i18n/i18n";
import type { Db } from "#db/client";

export interface StaffRequest {
  lang: Lang;
  staff: Staff;
  db: Db;
}

export async function staffRequest(request: Request, params: Params, permission: Permission): Promise<StaffRequest> {
  const lang = requireLang(params);
  requireSameOrigin(request);
  const staff = await requireStaff(request, lang, permission);
  // A staff change is seen at once by this process's resident pages (others within seconds).
  if (request.method !== "GET" && request.method !== "HEAD") contentChanged();
  return { lang, staff, db: await getDb() };
}

export async function staffConsultation(request: Request, params: Params, permission: Permission): Promise<StaffRequest & { consultation: ConsultationView }> {
  const ctx = await staffRequest(request, params, permission);
  const consultation = params.slug ? await getConsultationBySlug(ctx.db, params.slug) : null;
  if (!consultation) throw notFound();
  return { ...ctx, consultation };
}

/** Zod issues as one message per field (`fr.title`, `options`, …); messages are keys under `staffErrors.`. */
export function fieldErrors(error: ZodError): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const issue of error.issues) {
    const path = issue.path.join(".") || "form";
    if (out[path]) continue;
    const [key, a, b] = issue.message.split(":");
    // Our own messages are keys ("slugFormat", "tooLong:200"); zod's defaults are sentences.
    if (key === "tooLong") out[path] = { key, params: { max: Number(a) } };
    else if (key === "intRange") out[path] = { key, params: { min: Number(a), max: Number(b) } };
    else out[path] = { key: /^[a-z][a-zA-Z]*$/.test(key) ? key : "invalid" };
  }
  return out;
}

/** A form's string fields, for putting back what was typed. */
export function typed(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && k.length < 100) out[k] = v.slice(0, 25_000);
  return out;
}
