import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireSameOrigin } from "~/auth/origin.server";
import { endSession } from "~/auth/session.server";
import { requireLang } from "~/web/http.server";
import { urls } from "~/urls";

export async function action({ request, params }: ActionFunctionArgs) {
  const lang = requireLang(params);
  requireSameOrigin(request);
  return redirect(urls.staff.login(lang), { headers: { "Set-Cookie": await endSession(request) } });
}

export function loader() {
  throw new Response(null, { status: 405 });
}
