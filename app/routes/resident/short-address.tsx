import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/platform/db.server";
import { slugForShortCode } from "~/domain/consultations/short.server";
import { notFound, requireLang } from "~/web/http.server";
import { urls } from "~/urls";

/** GET /{lang}/c/{short}: the short address printed with mailed participation codes (and in their QR code) → the consultation. */
export async function loader({ params }: LoaderFunctionArgs) {
  const lang = requireLang(params);
  const short = params.short ?? "";
  const slug = /^[0-9A-Za-z]{1,12}$/.test(short) ? await slugForShortCode(await getDb(), short) : null;
  if (!slug) throw notFound();
  return redirect(urls.consultation(lang, slug), { status: 302, headers: { "Cache-Control": "public, max-age=300" } });
}
