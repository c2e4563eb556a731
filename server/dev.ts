/**
 * The server's half of `npm run dev` (docs/decisions/040-a-dev-loop-that-reloads.md), on only
 * when `remix dev` started the server (it sets REMIX_DEV_ORIGIN).
 *
 * `remix dev` rebuilds the app into build/index.js while the server runs, and writes
 * build/version.txt once the whole build is written. Before every request, and as soon as
 * version.txt changes, the server compares that version with the build it runs. A new one is
 * imported (the query string makes it a module of its own), the one request chain is made again
 * for it (server/index.ts), the timers move to it, and remix dev is told (`broadcastDevReady`).
 * A request waits for that: the first request after a rebuild gets the new build.
 *
 * What exists once per process stays: the HTTP server, the database handle (kept on globalThis
 * by app/db.server.ts), start-up (migrations, seed, first purge). Each build brings its own page
 * cache, content version and caches, empty: nothing rendered by older code is served. A build
 * once imported is never unloaded, so memory grows a little with each rebuild until the dev
 * command is restarted.
 */
import { watch } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { broadcastDevReady, type ServerBuild } from "@remix-run/node";
import { appEntry, type AppEntry } from "./entry";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const BUILD_DIR = path.resolve("build");
/** Written by remix dev after the rest of a build: a build named here is complete. */
const VERSION_FILE = path.join(BUILD_DIR, "version.txt");

interface Loaded {
  build: ServerBuild;
  entry: AppEntry;
  handler: Handler;
}

export interface DevBuilds {
  /** Runs the chain of the newest complete build. */
  handler: Handler;
  /** The entry of the build answering now (the one to shut down). */
  entry(): AppEntry;
  /** Tells remix dev that the server answers with the build it runs. */
  ready(): void;
}

/** The build with that version, imported as a module of its own. */
async function importBuild(version: string): Promise<ServerBuild> {
  const build = (await import(`${pathToFileURL(path.join(BUILD_DIR, "index.js")).href}?v=${encodeURIComponent(version)}`)) as Partial<ServerBuild>;
  if (!build.entry?.module || !build.routes || !build.assets) throw new Error("build/index.js is not a Remix server build");
  return build as ServerBuild;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}

/**
 * `first`: the build the server started with (start-up ran on it). `chainFor` makes the request
 * chain for a build; `devOrigin` is remix dev's address.
 */
export function reloadingBuilds(first: ServerBuild, chainFor: (build: ServerBuild) => Handler, devOrigin: string): DevBuilds {
  let current: Loaded = { build: first, entry: appEntry(first), handler: chainFor(first) };
  /** A version whose import failed: not tried again until remix dev writes another. */
  let failed: string | undefined;

  const tell = (build: ServerBuild) =>
    broadcastDevReady(build, devOrigin).catch((error: unknown) => current.entry.log.warn({ error: message(error) }, "dev: could not tell remix dev"));

  async function load(version: string): Promise<void> {
    const started = performance.now();
    let next: Loaded;
    try {
      const build = await importBuild(version);
      next = { build, entry: appEntry(build), handler: chainFor(build) };
    } catch (error) {
      failed = version;
      current.entry.log.error({ version, error: message(error) }, "dev: the new build did not load, the previous one still answers");
      console.error(error);
      return;
    }
    // One mail worker and one purge timer, running the newest code.
    if (await current.entry.stopTimers()) next.entry.startTimers();
    current = next;
    next.entry.log.info({ version: next.build.assets.version, ms: Math.round(performance.now() - started) }, "dev: new build loaded");
    void tell(next.build);
  }

  async function check(): Promise<void> {
    let version: string;
    try {
      version = (await readFile(VERSION_FILE, "utf8")).trim();
    } catch {
      return; // no build written by remix dev yet: keep the one loaded
    }
    if (version === "" || version === current.build.assets.version || version === failed) return;
    await load(version);
  }

  // Checks run one after the other: a request that arrives after version.txt changed waits for a
  // check that reads it, never for an older one.
  let checked: Promise<void> = Promise.resolve();
  const refresh = () =>
    (checked = checked.then(check).catch((error: unknown) => current.entry.log.error({ error: message(error) }, "dev: build check failed")));

  // Load as soon as remix dev has written a build, so the next request seldom waits.
  try {
    const watcher = watch(BUILD_DIR, (_event, name) => {
      if (name === "version.txt") void refresh();
    });
    watcher.on("error", () => watcher.close());
    watcher.unref();
  } catch (error) {
    current.entry.log.warn({ error: message(error) }, "dev: build/ not watched, builds load on the next request");
  }

  return {
    handler: (req, res) => {
      void refresh().then(() => current.handler(req, res));
    },
    entry: () => current.entry,
    ready: () => void tell(current.build),
  };
}
