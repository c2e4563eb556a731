CREATE TABLE "answer_themes" (
	"answer_id" bigint NOT NULL,
	"theme_id" uuid NOT NULL,
	"quote" boolean DEFAULT false NOT NULL,
	"tagged_by" text,
	"tagged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answer_themes_answer_id_theme_id_pk" PRIMARY KEY("answer_id","theme_id")
);
--> statement-breakpoint
CREATE TABLE "theme_rejections" (
	"answer_id" bigint NOT NULL,
	"theme_id" uuid NOT NULL,
	CONSTRAINT "theme_rejections_answer_id_theme_id_pk" PRIMARY KEY("answer_id","theme_id")
);
--> statement-breakpoint
CREATE TABLE "themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"labels" jsonb NOT NULL,
	"description" jsonb NOT NULL,
	"keywords" jsonb NOT NULL,
	"retired_at" timestamp with time zone,
	"merged_into" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "answer_themes" ADD CONSTRAINT "answer_themes_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_themes" ADD CONSTRAINT "answer_themes_theme_id_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."themes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answer_themes" ADD CONSTRAINT "answer_themes_tagged_by_users_id_fk" FOREIGN KEY ("tagged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "theme_rejections" ADD CONSTRAINT "theme_rejections_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "theme_rejections" ADD CONSTRAINT "theme_rejections_theme_id_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."themes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "themes" ADD CONSTRAINT "themes_consultation_id_consultations_id_fk" FOREIGN KEY ("consultation_id") REFERENCES "public"."consultations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "answer_themes_theme_idx" ON "answer_themes" USING btree ("theme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "themes_consultation_code_key" ON "themes" USING btree ("consultation_id","code");