/** The lists pages offer (statuses to filter by, kinds of question, demographic questions), in db/schema's order. */
export { CONSULTATION_STATUSES, DEMOGRAPHICS, QUESTION_KINDS } from "#db/schema";
