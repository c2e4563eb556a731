/** Plain shapes of a consultation as the rest of the app sees it (no database types leak out). */
import type {
  Bilingual,
  ConsultationStatus,
  ConsultationText,
  Demographic,
  Lang,
  OutcomeText,
  ParticipationMode,
  QuestionKind,
  QuestionText,
} from "#db/schema";

/** The ways an answer arrives: web, offline (queued on the device), paper (typed in by staff), sms. */
export { CHANNELS } from "#db/schema";
export type { Channel } from "#db/schema";
export type { Bilingual, ConsultationStatus, ConsultationText, Demographic, Lang, OutcomeText, ParticipationMode, QuestionKind, QuestionText };

export interface OptionView {
  id: string;
  code: string;
  position: number;
  labels: Bilingual<string>;
}

export interface QuestionView {
  id: string;
  code: string;
  position: number;
  kind: QuestionKind;
  required: boolean;
  demographic: Demographic | null;
  allowOther: boolean;
  allowPreferNot: boolean;
  minChoices: number | null;
  maxChoices: number | null;
  maxLength: number | null;
  texts: Bilingual<QuestionText>;
  options: OptionView[];
}

export interface ConsultationView {
  id: string;
  slug: string;
  status: ConsultationStatus;
  mode: ParticipationMode;
  opensAt: Date | null;
  closesAt: Date | null;
  texts: Bilingual<ConsultationText>;
  outcome: Bilingual<OutcomeText> | null;
  outcomePublishedAt: Date | null;
  openDataPublishedAt: Date | null;
  /** Results shown to residents while the consultation is still open (an official's choice). */
  resultsPublishedAt: Date | null;
  /** Visible free texts published on the results page and in open data (a moderator's choice). */
  textsPublishedAt: Date | null;
  retentionDays: number | null;
  /** Days after the closing during which paper forms received before it may be entered. */
  paperGraceDays: number;
  /** First publication of the figures (outcome, results or open data); null before. */
  figuresPublishedAt: Date | null;
  /** 0 before publication, 1 at it, one more for each later change of the figures. */
  figuresVersion: number;
  /** The last change of the figures after their publication; null while they are as published. */
  figuresUpdatedAt: Date | null;
  /** The figures' version the outcome text was last saved at (null: never saved since versions were kept). */
  outcomeFiguresVersion: number | null;
  version: number;
  /** The word a resident texts to start this consultation by SMS (upper case); null: none set. */
  smsKeyword: string | null;
  /** By SMS, one answer per phone (decision 066). */
  smsOnePerPhone: boolean;
  /** The last edit: when, and by which staff member (null: an automatic change, such as the closing date). */
  updatedAt: Date;
  updatedBy: string | null;
  questions: QuestionView[];
}

/** What creating a consultation takes: everything but ids. */
export interface OptionSpec {
  code: string;
  labels: Bilingual<string>;
}

export interface QuestionSpec {
  code: string;
  kind: QuestionKind;
  required?: boolean;
  demographic?: Demographic | null;
  allowOther?: boolean;
  allowPreferNot?: boolean;
  minChoices?: number | null;
  maxChoices?: number | null;
  maxLength?: number | null;
  texts: Bilingual<QuestionText>;
  options?: OptionSpec[];
}

export interface ConsultationSpec {
  slug: string;
  status?: ConsultationStatus;
  mode?: ParticipationMode;
  opensAt?: Date | null;
  closesAt?: Date | null;
  texts: Bilingual<ConsultationText>;
  outcome?: Bilingual<OutcomeText> | null;
  outcomePublishedAt?: Date | null;
  /** The SMS keyword (upper case, 2–20 letters or digits). */
  smsKeyword?: string | null;
  questions: QuestionSpec[];
}

/** Default longest text answers, in characters. */
export const DEFAULT_MAX_LENGTH = { short_text: 200, long_text: 2000 } as const;
