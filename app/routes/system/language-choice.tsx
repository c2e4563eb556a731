import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { pickLang } from "~/i18n/i18n";
import { urls } from "~/urls";

/** GET / → /fr or /en, by the browser's Accept-Language (French when neither is asked for). */
export function loader({ request }: LoaderFunctionArgs) {
  const lang = pickLang(request.headers.get("Accept-Language"));
  return redirect(urls.home(lang), { status: 302, headers: { Vary: "Accept-Language", "Cache-Control": "no-store" } });
}
