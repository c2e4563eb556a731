import type { LoaderFunctionArgs } from "@remix-run/node";
import { printStylesheet } from "~/domain/summary/print";
import { formatDateTime } from "~/i18n/format";
import { tFor } from "~/i18n/i18n";
import { municipality } from "~/web/settings.server";
import { staffConsultation } from "~/web/staff.server";

/** The summary's print header and page numbers; `?at=` is the moment the page's figures were taken. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, consultation: c } = await staffConsultation(request, params, "exports:read");
  const m = await municipality();
  const at = new URL(request.url).searchParams.get("at") ?? "";
  const when = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(at) && !Number.isNaN(Date.parse(at)) ? new Date(at) : new Date();
  const t = tFor(lang);
  const css = printStylesheet({
    running: t("staff.summary.runningTitle", { municipality: m.name[lang], title: c.texts[lang].title || c.slug }),
    asOf: t("staff.summary.figuresAsOf", { date: formatDateTime(when, lang, m.timeZone) }),
    pageOf: t("staff.summary.pageOf", { page: "{page}", pages: "{pages}" }),
  });
  return new Response(css, {
    headers: { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff" },
  });
}
