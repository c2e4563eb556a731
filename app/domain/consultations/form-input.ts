/** Reads the consultation form's fields into the shape `consultationFormSchema` checks. */
import { CONSULTATION_FIELDS } from "./completeness";

export function consultationFormInput(form: FormData) {
  const get = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const texts = (lang: string) => Object.fromEntries(CONSULTATION_FIELDS.map((f) => [f, get(`${lang}.${f}`)]));
  return {
    slug: get("slug") ?? "",
    mode: get("mode") ?? "open",
    opensAt: get("opensAt"),
    closesAt: get("closesAt"),
    retentionDays: get("retentionDays"),
    fr: texts("fr"),
    en: texts("en"),
  };
}
