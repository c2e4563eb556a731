CREATE TABLE "public_figures" (
	"consultation_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"responses" integer NOT NULL,
	"dataset" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "public_figures" ADD CONSTRAINT "public_figures_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;