import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireLang } from "~/web/http.server";

/** Every page lives under /fr or /en; any other first segment is a 404. */
export function loader({ params }: LoaderFunctionArgs) {
  requireLang(params);
  return null;
}

export default function LangLayout() {
  return <Outlet />;
}
