/** The only module that builds lucia (see docs/decisions/002-lucia-confined-to-app-auth.md). */
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Db } from "#db/client";
import { sessions, users, type Role } from "#db/schema";
import { loadEnv } from "~/platform/env.server";

export function createLucia(db: Db) {
  const env = loadEnv();
  return new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(12, "h"),
    sessionCookie: {
      name: "quorum_session",
      attributes: { secure: env.QUORUM_COOKIE_SECURE, sameSite: "lax", path: "/" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      role: attributes.role,
      active: attributes.active,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { email: string; role: Role; active: boolean };
  }
}

const cache = new WeakMap<Db, ReturnType<typeof createLucia>>();

export function luciaFor(db: Db) {
  let lucia = cache.get(db);
  if (!lucia) {
    lucia = createLucia(db);
    cache.set(db, lucia);
  }
  return lucia;
}
