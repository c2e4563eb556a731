/** Names and special values of questionnaire form fields, shared by the form and its parser. */
export const OTHER = "__other";
export const PREFER_NOT = "__prefer_not";
export const OTHER_MAX_LENGTH = 200;
export const SUBMISSION_ID = "submission_id";
export const PARTICIPATION_CODE = "participation_code";

export const fieldName = {
  value: (q: { code: string }) => `q.${q.code}`,
  other: (q: { code: string }) => `q.${q.code}.other`,
  rank: (q: { code: string }, optionCode: string) => `q.${q.code}.rank.${optionCode}`,
};

/** The HTML id of a question's first control (error summary links point there). */
export const fieldId = (code: string, suffix: string | number = 0) => `q-${code}-${suffix}`.replace(/[^A-Za-z0-9_-]/g, "_");

export interface FieldError {
  /** i18n key under `errors.` */
  key: string;
  params?: Record<string, string | number>;
}

export type FormValues = Record<string, string[]>;
