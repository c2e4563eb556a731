ALTER TABLE "consultations" ADD COLUMN "outcome_figures_version" integer;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "consultations" ADD CONSTRAINT "consultations_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- An outcome published before this migration was written on the figures as first published
-- (publishing it froze them at version 1, decision 036): a later change of the figures is flagged.
UPDATE "consultations" SET "outcome_figures_version" = 1 WHERE "outcome_published_at" IS NOT NULL AND "figures_published_at" IS NOT NULL;
