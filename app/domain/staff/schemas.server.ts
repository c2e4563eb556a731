/** The staff account forms, as zod schemas whose messages are keys under `staffErrors.`. */
import { z } from "zod";
import { ROLES } from "#db/schema";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "~/auth/password.server";

export const emailSchema = z
  .string({ error: "required" })
  .trim()
  .toLowerCase()
  .max(254, "tooLong")
  .pipe(z.email({ error: "emailFormat" }));

export const roleSchema = z.enum(ROLES, { error: "invalid" });

export const passwordSchema = z.string({ error: "required" }).min(MIN_PASSWORD_LENGTH, "passwordShort").max(MAX_PASSWORD_LENGTH, "tooLong");

/** A password typed to prove who one is: any length is checked, none is described. */
const typedPassword = (tooLong: string) => z.string({ error: "required" }).max(MAX_PASSWORD_LENGTH, tooLong);

export const passwordChangeSchema = z
  .object({
    current: typedPassword("wrongPassword"),
    next: passwordSchema,
    confirm: typedPassword("passwordsDiffer"),
  })
  .refine((v) => v.next === v.confirm, { message: "passwordsDiffer", path: ["confirm"] });

/** Sign-in. `next` is only a wish: it is checked by safeNext, and an unreadable one is dropped. */
export const signInSchema = z.object({
  email: emailSchema,
  password: typedPassword("signInFailed"),
  next: z.string().max(2000).optional().catch(undefined),
});

/** Accepting an invitation: the new account's password, twice. */
export const invitationAcceptSchema = z
  .object({ password: passwordSchema, confirm: typedPassword("passwordsDiffer") })
  .refine((v) => v.password === v.confirm, { message: "passwordsDiffer", path: ["confirm"] });

// ---- Staff accounts page: one form per intent --------------------------------------

export const USER_INTENTS = ["invite", "role", "deactivate", "reactivate"] as const;
export type UserIntent = (typeof USER_INTENTS)[number];

/** Read first, to pick the form's schema; anything else is refused with a message. */
export const userIntentSchema = z.object({ intent: z.enum(USER_INTENTS, { error: "unknownAction" }) });

/** Account ids are made by Quorum (base64url); anything else cannot name an account. */
const userIdSchema = z.string({ error: "notFound" }).regex(/^[A-Za-z0-9_-]{1,64}$/, "notFound");

export const inviteSchema = z.object({
  intent: z.literal("invite"),
  email: emailSchema,
  role: roleSchema,
  /** The language of the invitation email (and of the page the link opens). */
  lang: z.enum(["fr", "en"], { error: "invalid" }).optional(),
});

/** "Forgot your password": the account's address. */
export const forgotSchema = z.object({ email: emailSchema });

/** Choosing a new password from a reset link: twice. */
export const resetSchema = z
  .object({ password: passwordSchema, confirm: typedPassword("passwordsDiffer") })
  .refine((v) => v.password === v.confirm, { message: "passwordsDiffer", path: ["confirm"] });
export const roleChangeSchema = z.object({ intent: z.literal("role"), userId: userIdSchema, role: roleSchema });
export const accountStateSchema = z.object({ intent: z.enum(["deactivate", "reactivate"]), userId: userIdSchema });
