-- Until this migration, a consultation opened with "Open now" and no opening date kept none, so open
-- data said `opened: null` (issue 25, D4); opening now records the moment from now on. For those
-- already opened, the moment is the first "consultation.open" entry of the audit log (a slug no
-- longer changes once a consultation has opened). One whose entry is gone keeps no date.
UPDATE "consultations" AS c
SET "opens_at" = o."at"
FROM (
  SELECT "target_id", min("at") AS "at"
  FROM "audit_log"
  WHERE "action" = 'consultation.open' AND "target_type" = 'consultation'
  GROUP BY "target_id"
) AS o
WHERE c."opens_at" IS NULL AND c."status" <> 'draft' AND o."target_id" = c."slug";
