-- Reset links are kept by address from the next migration on (docs/decisions/045). The links
-- stored until now name an account instead; they last one hour and none is read once used, so
-- they are forgotten rather than carried over: a link asked just before the upgrade is asked again.
DELETE FROM "password_resets";
