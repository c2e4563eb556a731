/**
 * The seeded administrator, official and moderator sign in once per run, through the sign-in form's
 * POST, and their browser state is kept for the specs whose subject is not signing in
 * (`staffPage` in ./fixtures.ts). Signing in itself is tested in staff.spec.ts and authorization.spec.ts.
 */
import { test as setup } from "@playwright/test";
import { E2E, signIn, STAFF_ROLES, staffSession } from "./fixtures";

for (const role of STAFF_ROLES) {
  setup(`the ${role} signs in`, async ({ request, baseURL }) => {
    await signIn(request, baseURL!, E2E[role]);
    await request.storageState({ path: staffSession(role) });
  });
}
