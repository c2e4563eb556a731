import { pingDatabase } from "~/platform/db.server";

/** 200 when the database answers within two seconds, 503 otherwise. */
export async function loader() {
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
  try {
    const check = pingDatabase();
    await Promise.race([check, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000).unref())]);
    return new Response("ok\n", { status: 200, headers });
  } catch {
    return new Response("database unavailable\n", { status: 503, headers });
  }
}
