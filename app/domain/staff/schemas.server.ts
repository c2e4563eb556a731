/** The staff account forms, as zod schemas whose messages are keys under `staffErrors.`. */
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "~/auth/password.server";

export const passwordSchema = z.string({ error: "required" }).min(MIN_PASSWORD_LENGTH, "passwordShort").max(MAX_PASSWORD_LENGTH, "tooLong");

export const passwordChangeSchema = z
  .object({
    current: z.string({ error: "required" }).max(MAX_PASSWORD_LENGTH, "wrongPassword"),
    next: passwordSchema,
    confirm: z.string({ error: "required" }).max(MAX_PASSWORD_LENGTH, "passwordsDiffer"),
  })
  .refine((v) => v.next === v.confirm, { message: "passwordsDiffer", path: ["confirm"] });
