/** Who may do what. Pure: pages use it to show only what a person may use; routes enforce it. */
import type { Role } from "#db/schema";

export type { Role };

/** Every staff role, in the order pages list them (db/schema's list, without pulling the schema into pages). */
export const ROLES = ["admin", "official", "moderator"] as const satisfies readonly Role[];
const everyRoleListed: [Exclude<Role, (typeof ROLES)[number]>] extends [never] ? true : never = true;
void everyRoleListed;

export const PERMISSIONS = {
  "consultations:read": ["admin", "official", "moderator"],
  "consultations:edit": ["admin", "official"],
  "answers:paper": ["admin", "official"],
  "answers:moderate": ["admin", "moderator"],
  "themes:manage": ["admin", "official", "moderator"],
  "exports:read": ["admin", "official", "moderator"],
  "staff:manage": ["admin"],
  "audit:read": ["admin"],
  "settings:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | undefined | null, permission: Permission): boolean {
  return !!role && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
