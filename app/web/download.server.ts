import type { Readable } from "node:stream";
import { createReadableStreamFromReadable } from "@remix-run/node";

/** A streamed download. */
export function download(stream: Readable, filename: string, type: string): Response {
  return new Response(createReadableStreamFromReadable(stream), {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
