-- Every commune's rows in one set of tables (decision 072): each row carries its commune, filled
-- from the connection's commune, and row-level security shows and takes only that commune's rows.
-- One commune alone (no quorum.commune set) is commune 1.
CREATE OR REPLACE FUNCTION "quorum_commune"() RETURNS integer LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(nullif(current_setting('quorum.commune', true), '')::integer, 1) $$;
--> statement-breakpoint
ALTER TABLE "answer_themes" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "code_batches" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "logos" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "meta" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "notification_addresses" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "options" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "participation_codes" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "password_resets" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "public_figures" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "rate_limits" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "reference_shares" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "sms_conversations" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "sms_messages" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "sms_phone_answers" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "theme_rejections" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "themes" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "commune_id" integer DEFAULT quorum_commune() NOT NULL;
--> statement-breakpoint
DROP INDEX "audit_log_at_idx";
--> statement-breakpoint
DROP INDEX "consultations_slug_key";
--> statement-breakpoint
DROP INDEX "consultations_sms_keyword_key";
--> statement-breakpoint
DROP INDEX "users_email_key";
--> statement-breakpoint
DROP INDEX "participation_codes_hash_key";
--> statement-breakpoint
ALTER TABLE "logos" DROP CONSTRAINT "logos_pkey";
--> statement-breakpoint
ALTER TABLE "meta" DROP CONSTRAINT "meta_pkey";
--> statement-breakpoint
ALTER TABLE "rate_limits" DROP CONSTRAINT "rate_limits_pkey";
--> statement-breakpoint
ALTER TABLE "settings" DROP CONSTRAINT "settings_pkey";
--> statement-breakpoint
ALTER TABLE "sms_conversations" DROP CONSTRAINT "sms_conversations_pkey";
--> statement-breakpoint
ALTER TABLE "sms_messages" DROP CONSTRAINT "sms_messages_provider_message_id_pk";
--> statement-breakpoint
ALTER TABLE "logos" ADD CONSTRAINT "logos_commune_id_digest_pk" PRIMARY KEY("commune_id","digest");
--> statement-breakpoint
ALTER TABLE "meta" ADD CONSTRAINT "meta_commune_id_key_pk" PRIMARY KEY("commune_id","key");
--> statement-breakpoint
ALTER TABLE "rate_limits" ADD CONSTRAINT "rate_limits_commune_id_key_pk" PRIMARY KEY("commune_id","key");
--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_commune_id_id_pk" PRIMARY KEY("commune_id","id");
--> statement-breakpoint
ALTER TABLE "sms_conversations" ADD CONSTRAINT "sms_conversations_commune_id_phone_hash_pk" PRIMARY KEY("commune_id","phone_hash");
--> statement-breakpoint
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_commune_id_provider_message_id_pk" PRIMARY KEY("commune_id","provider","message_id");
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("commune_id","at");
--> statement-breakpoint
CREATE UNIQUE INDEX "consultations_slug_key" ON "consultations" USING btree ("commune_id","slug");
--> statement-breakpoint
CREATE UNIQUE INDEX "consultations_sms_keyword_key" ON "consultations" USING btree ("commune_id","sms_keyword");
--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("commune_id","email");
--> statement-breakpoint
CREATE UNIQUE INDEX "participation_codes_hash_key" ON "participation_codes" USING btree ("commune_id","code_hash");
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'commune_id' AND NOT a.attisdropped ORDER BY c.relname
  LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY commune_rows ON public.%I USING (commune_id = quorum_commune()) WITH CHECK (commune_id = quorum_commune())', t);
  END LOOP;
END $$;
