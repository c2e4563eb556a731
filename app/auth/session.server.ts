/**
 * Staff sessions. Routes call `requireStaff(request, lang, permission)` on their
 * first line: no session → redirect to sign-in; not allowed → 403.
 */
import { redirect } from "@remix-run/node";
import type { Db } from "#db/client";
import type { Role } from "#db/schema";
import { getDb } from "~/platform/db.server";
import { changePassword, type ChangePasswordRefusal } from "~/domain/staff/accounts.server";
import type { Lang } from "~/i18n/i18n";
import { luciaFor } from "./lucia.server";
import { can, type Permission } from "./permissions";
import { urls } from "~/urls";

export interface Staff {
  id: string;
  email: string;
  role: Role;
  sessionId: string;
}

/** The signed-in staff member, or null. Refreshes the cookie when lucia extends the session. */
export async function getStaff(request: Request): Promise<{ staff: Staff | null; setCookie?: string }> {
  const lucia = luciaFor(await getDb());
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return { staff: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user) return { staff: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  if (!user.active) {
    await lucia.invalidateSession(session.id);
    return { staff: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  const staff = { id: user.id, email: user.email, role: user.role, sessionId: session.id };
  return { staff, setCookie: session.fresh ? lucia.createSessionCookie(session.id).serialize() : undefined };
}

export async function requireStaff(request: Request, lang: Lang, permission: Permission): Promise<Staff> {
  const { staff } = await getStaff(request);
  if (!staff) {
    const url = new URL(request.url);
    throw redirect(urls.staff.login(lang, { next: url.pathname + url.search }));
  }
  if (!can(staff.role, permission)) throw new Response("Forbidden", { status: 403 });
  return staff;
}

/** Starts a session; returns the Set-Cookie header value. */
export async function startSession(userId: string, db?: Db): Promise<string> {
  const lucia = luciaFor(db ?? (await getDb()));
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

/**
 * The signed-in staff member changes their password: every session of the account ends
 * (other devices are signed out) and this one continues under a new session id, whose
 * cookie is returned. The old id, wherever it was copied, no longer works.
 */
export async function changeOwnPassword(
  db: Db,
  staff: Pick<Staff, "id">,
  current: string,
  next: string,
): Promise<{ ok: true; setCookie: string } | { ok: false; reason: ChangePasswordRefusal }> {
  const changed = await changePassword(db, staff.id, current, next);
  if (!changed.ok) return changed;
  return { ok: true, setCookie: await startSession(staff.id, db) };
}

/** Ends this request's session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const lucia = luciaFor(await getDb());
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}
