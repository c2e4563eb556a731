DROP INDEX "responses_consultation_received_idx";--> statement-breakpoint
CREATE INDEX "responses_consultation_received_idx" ON "responses" USING btree ("consultation_id","received_at","id");