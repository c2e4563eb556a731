/**
 * remix.config.js's route table as Remix reads it, and the module Remix answers a path with: the
 * builders' test (tests/unit/urls.test.ts) and the accessibility statement's sample use it to know
 * that an address reaches the route it is meant for.
 */
import { UNSAFE_defineRoutes as defineRoutes } from "@remix-run/dev";
import { matchRoutes, type AgnosticRouteObject as RouteObject } from "@remix-run/router";
import remixConfig from "../../remix.config.js";

export type Route = RouteObject & { file: string };

/** remix.config.js's routes under the app's root route (app/root.tsx), as the server builds its route tree. */
export async function routeTree(): Promise<{ tree: RouteObject[]; leaves: Route[] }> {
  const entries = Object.values(await remixConfig.routes!(defineRoutes));
  const build = (parentId: string): Route[] =>
    entries
      .filter((e) => e.parentId === parentId)
      .map((e) => ({ id: e.id, file: e.file, path: e.path, ...(e.index ? { index: true } : { children: build(e.id) }) }) as Route);
  const leaves = entries.filter((e) => !entries.some((child) => child.parentId === e.id)).map((e) => ({ id: e.id, file: e.file, path: e.path }) as Route);
  return { tree: [{ id: "root", path: "", children: build("root") }], leaves };
}

/** The module Remix answers a path with (the deepest match). */
export function routeFor(tree: RouteObject[], path: string): { file: string; params: Record<string, string | undefined> } | null {
  const { pathname } = new URL(path, "http://quorum.invalid");
  const matches = matchRoutes(tree, pathname);
  if (!matches) return null;
  const leaf = matches[matches.length - 1];
  return { file: (leaf.route as Route).file, params: leaf.params };
}
