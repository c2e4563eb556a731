/**
 * Quorum's database schema: one schema for PostgreSQL and embedded PGlite.
 *
 * Bilingual content is stored as `{ fr: …, en: … }` JSON documents so that a
 * completeness check ("both languages filled") is one function over one shape.
 * No table stores an IP address or a user agent.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export type Lang = "fr" | "en";
export type Bilingual<T> = { fr: T; en: T };

/** Texts of a consultation, one copy per language. */
export interface ConsultationText {
  title: string;
  summary: string;
  body: string;
  /** Data card: what data would be collected… */
  dataCollected: string;
  /** …why… */
  dataPurpose: string;
  /** …how long it is kept… */
  dataRetention: string;
  /** …who can see it… */
  dataAccess: string;
  /** …where the devices would be. */
  dataLocation: string;
}

export interface OutcomeText {
  heard: string;
  decided: string;
}

/**
 * A paper answer recorded as written (decision 035): what the resident marked, and the rule
 * it is counted by — `every_box` (each ticked box counts), `unclear` (counted as not answered),
 * `skipped` (a required question left blank), `whole_text` (a text longer than the limit, kept whole).
 */
export interface AsWrittenNote {
  rule: "every_box" | "unclear" | "skipped" | "whole_text";
  marked: string[];
}

export interface QuestionText {
  prompt: string;
  help: string;
  /** Labels of the ends of an agreement scale (1 and 5). */
  scaleLow?: string;
  scaleHigh?: string;
}

export const CONSULTATION_STATUSES = ["draft", "open", "closed", "archived"] as const;
export type ConsultationStatus = (typeof CONSULTATION_STATUSES)[number];
export const PARTICIPATION_MODES = ["open", "code"] as const;
export type ParticipationMode = (typeof PARTICIPATION_MODES)[number];
export const QUESTION_KINDS = ["single", "multiple", "scale", "short_text", "long_text", "ranking"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export const DEMOGRAPHICS = ["area", "age", "language"] as const;
export type Demographic = (typeof DEMOGRAPHICS)[number];
export const CHANNELS = ["web", "offline", "paper", "sms"] as const;
export type Channel = (typeof CHANNELS)[number];
export const ROLES = ["admin", "official", "moderator"] as const;
export type Role = (typeof ROLES)[number];

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

/**
 * The commune a row belongs to (decision 072). Every table has it, filled by the database from the
 * connection's commune (`quorum_commune()`, migration 0012), and row-level security shows and takes
 * only the rows of that commune. One commune alone is commune 1.
 */
const communeColumn = () =>
  integer("commune_id")
    .notNull()
    .default(sql`quorum_commune()`);

export const consultations = pgTable(
  "consultations",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    status: text("status").$type<ConsultationStatus>().notNull().default("draft"),
    mode: text("mode").$type<ParticipationMode>().notNull().default("open"),
    opensAt: timestamp("opens_at", { withTimezone: true, mode: "date" }),
    closesAt: timestamp("closes_at", { withTimezone: true, mode: "date" }),
    texts: jsonb("texts").$type<Bilingual<ConsultationText>>().notNull(),
    outcome: jsonb("outcome").$type<Bilingual<OutcomeText>>(),
    outcomePublishedAt: timestamp("outcome_published_at", { withTimezone: true, mode: "date" }),
    openDataPublishedAt: timestamp("open_data_published_at", { withTimezone: true, mode: "date" }),
    /** An official's choice to show residents the results while the consultation is still open. */
    resultsPublishedAt: timestamp("results_published_at", { withTimezone: true, mode: "date" }),
    /** A moderator's choice to publish the visible free texts (results page and open data). */
    textsPublishedAt: timestamp("texts_published_at", { withTimezone: true, mode: "date" }),
    /** Days after closing at which raw free text is deleted; null keeps it. */
    retentionDays: integer("retention_days"),
    /** Days after the closing during which paper forms received before it may still be entered. */
    paperGraceDays: integer("paper_grace_days").notNull().default(14),
    /** When the figures were first published (outcome, results or open data), frozen from then on. */
    figuresPublishedAt: timestamp("figures_published_at", { withTimezone: true, mode: "date" }),
    /** 0 until published; 1 at publication; each later change of the figures adds one. */
    figuresVersion: integer("figures_version").notNull().default(0),
    /** The last change of the figures after their publication; null while they are as published. */
    figuresUpdatedAt: timestamp("figures_updated_at", { withTimezone: true, mode: "date" }),
    /** The figures' version the outcome text was last saved at; an outcome on an older one is flagged to staff. */
    outcomeFiguresVersion: integer("outcome_figures_version"),
    /** Bumped on every edit; lets rendered public pages be cached per version. */
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** The staff member whose edit made the current version (null: an automatic change, or before this was kept). */
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    /** The word a resident texts to start this consultation by SMS (upper case, A–Z and digits); null: none. */
    smsKeyword: text("sms_keyword"),
    /** By SMS, one answer per phone number (its keyed hash, forgotten at the closing). */
    smsOnePerPhone: boolean("sms_one_per_phone").notNull().default(false),
  },
  (t) => [
    uniqueIndex("consultations_slug_key").on(t.communeId, t.slug),
    uniqueIndex("consultations_sms_keyword_key").on(t.communeId, t.smsKeyword),
    check("consultations_status_check", sql`${t.status} in ('draft','open','closed','archived')`),
    check("consultations_mode_check", sql`${t.mode} in ('open','code')`),
  ],
);

/**
 * The public figures of a consultation as last published (decision 061): computed once per change
 * from the exact tables, protected, and served as they are until the next step. `responses` is the
 * exact number of answers they were computed from: a new version needs at least a step more.
 */
export const publicFigures = pgTable("public_figures", {
  communeId: communeColumn(),
  consultationId: uuid("consultation_id")
    .primaryKey()
    .references(() => consultations.id, { onDelete: "cascade" }),
  version: integer("version").notNull(),
  takenAt: timestamp("taken_at", { withTimezone: true, mode: "date" }).notNull(),
  responses: integer("responses").notNull(),
  dataset: jsonb("dataset").$type<unknown>().notNull(),
});

export const questions = pgTable(
  "questions",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    /** Stable code used in exports and open data (e.g. `q3`). */
    code: text("code").notNull(),
    position: integer("position").notNull(),
    kind: text("kind").$type<QuestionKind>().notNull(),
    required: boolean("required").notNull().default(false),
    demographic: text("demographic").$type<Demographic>(),
    /** Single/multiple choice: offer an "Other: ___" text. */
    allowOther: boolean("allow_other").notNull().default(false),
    /** Offer "prefer not to answer". Always true for demographic questions. */
    allowPreferNot: boolean("allow_prefer_not").notNull().default(false),
    /** Multiple choice: how many to tick at least / at most. */
    minChoices: integer("min_choices"),
    maxChoices: integer("max_choices"),
    /** Text questions: the longest answer accepted, in characters. */
    maxLength: integer("max_length"),
    texts: jsonb("texts").$type<Bilingual<QuestionText>>().notNull(),
  },
  (t) => [
    uniqueIndex("questions_consultation_code_key").on(t.consultationId, t.code),
    index("questions_consultation_position_idx").on(t.consultationId, t.position),
    check("questions_kind_check", sql`${t.kind} in ('single','multiple','scale','short_text','long_text','ranking')`),
  ],
);

export const options = pgTable(
  "options",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    /** Stable code used in exports and open data (e.g. `rural`). */
    code: text("code").notNull(),
    position: integer("position").notNull(),
    labels: jsonb("labels").$type<Bilingual<string>>().notNull(),
  },
  (t) => [uniqueIndex("options_question_code_key").on(t.questionId, t.code)],
);

export const responses = pgTable(
  "responses",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    /** Made by the resident's browser (or the form): the idempotency key. */
    submissionId: uuid("submission_id").notNull(),
    /** Derived from the submission id; what the resident keeps. */
    receiptCode: text("receipt_code").notNull(),
    locale: text("locale").$type<Lang>().notNull(),
    channel: text("channel").$type<Channel>().notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** Paper answers: the day the municipality received the form (in its time zone). */
    paperReceivedOn: date("paper_received_on", { mode: "string" }),
    /**
     * Paper answers recorded as the resident wrote them although they break a rule of the
     * questionnaire: question code → what was written and how it is counted (decision 035).
     */
    asWritten: jsonb("as_written").$type<Record<string, AsWrittenNote>>(),
  },
  (t) => [
    uniqueIndex("responses_submission_id_key").on(t.submissionId),
    uniqueIndex("responses_receipt_code_key").on(t.receiptCode),
    // Keyset order of exports and dashboards: (received_at, id) within a consultation.
    index("responses_consultation_received_idx").on(t.consultationId, t.receivedAt, t.id),
    check("responses_channel_check", sql`${t.channel} in ('web','offline','paper','sms')`),
  ],
);

export const answers = pgTable(
  "answers",
  {
    communeId: communeColumn(),
    id: bigserial("id", { mode: "number" }).primaryKey(),
    responseId: uuid("response_id")
      .notNull()
      .references(() => responses.id, { onDelete: "cascade" }),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "restrict" }),
    /** Chosen options; for ranking, in rank order (first = rank 1). */
    optionIds: uuid("option_ids").array(),
    /** Free text, or the "Other" text of a choice question. */
    text: text("text"),
    /** Agreement scale value 1–5. */
    number: integer("number"),
    preferNot: boolean("prefer_not").notNull().default(false),
    /** Moderation: hidden free text stays in raw exports, marked hidden. */
    hidden: boolean("hidden").notNull().default(false),
    hiddenReason: text("hidden_reason"),
  },
  (t) => [uniqueIndex("answers_response_question_key").on(t.responseId, t.questionId), index("answers_question_idx").on(t.questionId)],
);

/** A named set of participation codes printed together (e.g. one neighbourhood's letters). */
export const codeBatches = pgTable(
  "code_batches",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    size: integer("size").notNull(),
    /** The idempotency key the form carried: a form sent twice makes one batch. */
    requestId: uuid("request_id").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("code_batches_request_id_key").on(t.requestId), index("code_batches_consultation_idx").on(t.consultationId)],
);

export const participationCodes = pgTable(
  "participation_codes",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    /** SHA-256 of the normalised code; the code itself is never stored. */
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    /** The batch it was printed in (codes made before batches have none), and its number there (1…size). */
    batchId: uuid("batch_id").references(() => codeBatches.id, { onDelete: "cascade" }),
    batchIndex: integer("batch_index"),
    /** Set when its batch was cancelled before the code was used: refused like an unknown code. */
    voidedAt: timestamp("voided_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("participation_codes_hash_key").on(t.communeId, t.codeHash), index("participation_codes_batch_idx").on(t.batchId)],
);

export const referenceShares = pgTable(
  "reference_shares",
  {
    communeId: communeColumn(),
    questionId: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    optionId: uuid("option_id")
      .notNull()
      .references(() => options.id, { onDelete: "cascade" }),
    /** Share of the reference population, 0–100. */
    percent: numeric("percent", { precision: 5, scale: 2 }).notNull(),
    source: text("source").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.optionId] })],
);

export const users = pgTable(
  "users",
  {
    communeId: communeColumn(),
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<Role>().notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.communeId, t.email), check("users_role_check", sql`${t.role} in ('admin','official','moderator')`)],
);

export const sessions = pgTable("sessions", {
  communeId: communeColumn(),
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

export const invitations = pgTable(
  "invitations",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    role: text("role").$type<Role>().notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invitations_token_hash_key").on(t.tokenHash)],
);

export const auditLog = pgTable(
  "audit_log",
  {
    communeId: communeColumn(),
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_at_idx").on(t.communeId, t.at)],
);

/** Fixed-window counters shared by every app process (keys are hashed, never raw IPs). */
export const rateLimits = pgTable(
  "rate_limits",
  {
    communeId: communeColumn(),
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.key] })],
);

/** Small key/value facts about the database itself (e.g. that the demo was seeded). */
export const meta = pgTable(
  "meta",
  {
    communeId: communeColumn(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.key] })],
);

/**
 * The municipality's settings: one row (id 1), a document checked by the app
 * (app/domain/settings), bumped `version` on every change.
 */
export const settings = pgTable(
  "settings",
  {
    communeId: communeColumn(),
    id: integer("id").notNull().default(1),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.id] }), check("settings_one_row", sql`${t.id} = 1`)],
);

/** Uploaded logos, kept by the digest of their bytes (the URL they are served at). */
export const logos = pgTable(
  "logos",
  {
    communeId: communeColumn(),
    digest: text("digest").notNull(),
    contentType: text("content_type").notNull(),
    /** The image bytes, base64. At most 20 KB of image. */
    data: text("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.digest] })],
);

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Email waiting to go, written in the same transaction as what caused it and sent by the app's
 * mail worker with retries. A resident's address is blanked once its message is sent or given up.
 */
export const outbox = pgTable(
  "outbox",
  {
    communeId: communeColumn(),
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** What the message is (staff.invite, staff.reset, notify.confirm, notify.outcome). */
    kind: text("kind").notNull(),
    /** The recipient; null once a resident's message has gone (or was given up). */
    recipient: text("recipient"),
    lang: text("lang").$type<Lang>().notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    /** Extra headers (List-Unsubscribe…). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /** The Message-ID the message is sent with, the same on every try. */
    messageId: text("message_id").notNull(),
    status: text("status").$type<OutboxStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    /** A worker holds the message until then (another process skips it). */
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("outbox_due_idx").on(t.status, t.nextAttemptAt), check("outbox_status_check", sql`${t.status} in ('pending','sent','failed')`)],
);

/**
 * Single-use password reset links: only the digest of the token is kept. A link is asked for an
 * address, whether or not an account has it (docs/decisions/045); it is good only for an active
 * account that existed when it was asked. One asked for an address with no such account is
 * deleted, unsent, when the outbox comes to its message.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("password_resets_token_hash_key").on(t.tokenHash), index("password_resets_email_idx").on(t.email)],
);

/**
 * Residents who asked to be told when a consultation's results or decision are out. Nothing
 * here refers to an answer: no submission id, no receipt, days only, a random id. Deleted once
 * told, on unsubscribe, and (unconfirmed) after 7 days.
 */
export const notificationAddresses = pgTable(
  "notification_addresses",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    lang: text("lang").$type<Lang>().notNull(),
    /** Digest of the token in the confirmation and unsubscribe links. */
    tokenHash: text("token_hash").notNull(),
    askedOn: date("asked_on", { mode: "string" }).notNull(),
    confirmedOn: date("confirmed_on", { mode: "string" }),
  },
  (t) => [uniqueIndex("notification_addresses_token_key").on(t.tokenHash), uniqueIndex("notification_addresses_email_key").on(t.consultationId, t.email)],
);

/** Keywords of a theme, per language, as a moderator typed them (stemmed when suggestions are made). */
export type ThemeKeywords = Bilingual<string[]>;

/**
 * A consultation's codebook: the themes moderators tag free text with. A retired theme
 * keeps its tags but leaves suggestions and every output; a merged theme is retired with
 * `mergedInto` naming the theme its tags moved to.
 */
export const themes = pgTable(
  "themes",
  {
    communeId: communeColumn(),
    id: uuid("id").primaryKey().defaultRandom(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    /** Stable code used in exports and open data (`t1`, `t2`…), never reused within a consultation. */
    code: text("code").notNull(),
    labels: jsonb("labels").$type<Bilingual<string>>().notNull(),
    description: jsonb("description").$type<Bilingual<string>>().notNull(),
    keywords: jsonb("keywords").$type<ThemeKeywords>().notNull(),
    retiredAt: timestamp("retired_at", { withTimezone: true, mode: "date" }),
    mergedInto: uuid("merged_into"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("themes_consultation_code_key").on(t.consultationId, t.code)],
);

/** A theme on a free-text answer; `quote` marks it as one of the theme's (at most 3) representative quotes. */
export const answerThemes = pgTable(
  "answer_themes",
  {
    communeId: communeColumn(),
    answerId: bigint("answer_id", { mode: "number" })
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    themeId: uuid("theme_id")
      .notNull()
      .references(() => themes.id, { onDelete: "cascade" }),
    quote: boolean("quote").notNull().default(false),
    taggedBy: text("tagged_by").references(() => users.id, { onDelete: "set null" }),
    taggedAt: timestamp("tagged_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.themeId] }), index("answer_themes_theme_idx").on(t.themeId)],
);

/** A suggestion a moderator turned down: not suggested again for that answer. */
export const themeRejections = pgTable(
  "theme_rejections",
  {
    communeId: communeColumn(),
    answerId: bigint("answer_id", { mode: "number" })
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    themeId: uuid("theme_id")
      .notNull()
      .references(() => themes.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.themeId] })],
);

/**
 * A conversation by text message (decision 066), identified by a keyed hash of the phone number
 * (never the number). Deleted when it ends (receipt, STOP) or after 24 hours without a message.
 * `version` makes two messages handled at once advance it once each, one after the other.
 */
export const smsConversations = pgTable(
  "sms_conversations",
  {
    communeId: communeColumn(),
    phoneHash: text("phone_hash").notNull(),
    lang: text("lang").$type<Lang>().notNull(),
    /** Where the conversation stands and the answers given so far (app/domain/sms/state.ts). */
    state: jsonb("state").$type<unknown>().notNull(),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.phoneHash] })],
);

/**
 * Inbound messages already handled, by the provider's message id, with the reply they got: a
 * provider's retry gets the same reply and changes nothing. Kept 24 hours; no number, no body.
 */
export const smsMessages = pgTable(
  "sms_messages",
  {
    communeId: communeColumn(),
    provider: text("provider").notNull(),
    messageId: text("message_id").notNull(),
    /** Null while the message is being handled. */
    reply: text("reply"),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.communeId, t.provider, t.messageId] }), index("sms_messages_received_idx").on(t.receivedAt)],
);

/** "One answer per phone": the keyed hashes of the phones that answered, forgotten when the consultation closes. */
export const smsPhoneAnswers = pgTable(
  "sms_phone_answers",
  {
    communeId: communeColumn(),
    consultationId: uuid("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    phoneHash: text("phone_hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.consultationId, t.phoneHash] })],
);
