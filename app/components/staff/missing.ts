import type { TFunction } from "i18next";
import type { Missing } from "~/domain/consultations/completeness";

/** One missing text, said in the staff member's language. */
export function missingText(t: TFunction, m: Missing): string {
  const lang = "lang" in m ? t(`staff.in.${m.lang}`) : "";
  switch (m.kind) {
    case "field":
      return t("staff.missing.field", { field: t(`staff.fields.${m.field}`), lang });
    case "questions":
      return t("staff.missing.questions");
    case "prompt":
      return t("staff.missing.prompt", { number: m.question, lang });
    case "scale":
      return t("staff.missing.scale", { number: m.question, lang });
    case "options":
      return t("staff.missing.options", { number: m.question });
    case "option":
      return t("staff.missing.option", { number: m.question, option: m.option, lang });
  }
}
