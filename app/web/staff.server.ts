/** What every staff route does first: language, origin, role, database — then the consultation when there is one. */
import type { Params } from "@remix-run/react";
import { requireSameOrigin } from "../auth/origin.server";
import type { Permission } from "../auth/permissions";
import { requireStaff, type Staff } from "../auth/session.server";
import { getDb } from "../platform/db.server";
import { getConsultationBySlug } from "../domain/consultations/queries.server";
import type { ConsultationView } from "../domain/consultations/types";
import { notFound, requireLang } from "./http.server";
import type { Lang } from "../i18n/i18n";
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
  return { lang, staff, db: await getDb() };
}

export async function staffConsultation(request: Request, params: Params, permission: Permission): Promise<StaffRequest & { consultation: ConsultationView }> {
  const ctx = await staffRequest(request, params, permission);
  const consultation = params.slug ? await getConsultationBySlug(ctx.db, params.slug) : null;
  if (!consultation) throw notFound();
  return { ...ctx, consultation };
}
