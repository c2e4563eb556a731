CREATE TABLE "sms_conversations" (
	"phone_hash" text PRIMARY KEY NOT NULL,
	"lang" text NOT NULL,
	"state" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sms_messages" (
	"provider" text NOT NULL,
	"message_id" text NOT NULL,
	"reply" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_messages_provider_message_id_pk" PRIMARY KEY("provider","message_id")
);
--> statement-breakpoint
CREATE TABLE "sms_phone_answers" (
	"consultation_id" uuid NOT NULL,
	"phone_hash" text NOT NULL,
	CONSTRAINT "sms_phone_answers_consultation_id_phone_hash_pk" PRIMARY KEY("consultation_id","phone_hash")
);
--> statement-breakpoint
ALTER TABLE "responses" DROP CONSTRAINT "responses_channel_check";--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "sms_keyword" text;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "sms_one_per_phone" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sms_phone_answers" ADD CONSTRAINT "sms_phone_answers_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sms_messages_received_idx" ON "sms_messages" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "consultations_sms_keyword_key" ON "consultations" USING btree ("sms_keyword");--> statement-breakpoint
ALTER TABLE "responses" ADD CONSTRAINT "responses_channel_check" CHECK ("responses"."channel" in ('web','offline','paper','sms'));