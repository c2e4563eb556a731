CREATE TABLE "code_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"label" text NOT NULL,
	"size" integer NOT NULL,
	"request_id" uuid NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "paper_grace_days" integer DEFAULT 14 NOT NULL;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "figures_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "figures_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "figures_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "participation_codes" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "participation_codes" ADD COLUMN "batch_index" integer;--> statement-breakpoint
ALTER TABLE "participation_codes" ADD COLUMN "voided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "paper_received_on" date;--> statement-breakpoint
ALTER TABLE "responses" ADD COLUMN "as_written" jsonb;--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "code_batches_request_id_key" ON "code_batches" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "code_batches_consultation_idx" ON "code_batches" USING btree ("consultation_id");--> statement-breakpoint
ALTER TABLE "participation_codes" ADD CONSTRAINT "participation_codes_batch_id_code_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."code_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participation_codes_batch_idx" ON "participation_codes" USING btree ("batch_id");