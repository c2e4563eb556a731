ALTER TABLE "consultations" ADD COLUMN "results_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "texts_published_at" timestamp with time zone;