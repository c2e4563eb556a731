import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/platform/db.server";
import { logoFile } from "~/domain/settings/settings.server";

/** The municipality's logo, at a URL named by the digest of its bytes: cached for a year, never sniffed. */
export async function loader({ params }: LoaderFunctionArgs) {
  const logo = await logoFile(await getDb(), params.file ?? "");
  if (!logo) throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(logo.bytes), {
    headers: {
      "Content-Type": logo.contentType,
      "Content-Length": String(logo.bytes.length),
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
