/** What the server uses of the app's build: the exports of app/entry.server.tsx, sharing its module state. */
import type { ServerBuild } from "@remix-run/node";

export type AppEntry = typeof import("../app/entry.server");

export function appEntry(build: ServerBuild): AppEntry {
  return build.entry.module as unknown as AppEntry;
}
