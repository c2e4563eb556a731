/**
 * The two busiest requests, after the chain like every other:
 * - a resident page (GET/HEAD `/{lang}`, `/{lang}/consultations/{slug}` or its
 *   public results, no query string) from the page cache, gzip-encoded when the
 *   browser accepts it (results are a published snapshot: decision 061);
 * - a resident's answer (a form POST to a consultation's address): the domain
 *   judges it; an accepted answer gets its 303 here, anything else goes on
 *   down the chain (compression, then Remix) with the body and the domain's verdict.
 */
import type { ServerResponse } from "node:http";
import { answerTarget, residentPage, resultsPage } from "~/urls";
import type { Step } from "./chain";
import type { AppEntry } from "./entry";
import { readBody } from "./guards";
import type { Handle } from "./remix";
import { refuse, stateOf } from "./request";

const FORM = /^application\/x-www-form-urlencoded/i;

function acceptsGzip(header: string | string[] | undefined): boolean {
  return typeof header === "string" && /\bgzip\b/i.test(header) && !/\bgzip\s*;\s*q=0(\.0*)?\b/i.test(header);
}

function writePage(res: ServerResponse, status: number, headers: [string, string][], chunks: Buffer[], gzip: boolean, head: boolean): void {
  for (const [name, value] of headers) res.setHeader(name, value);
  res.setHeader("Vary", "Accept-Encoding");
  if (gzip) res.setHeader("Content-Encoding", "gzip");
  res.setHeader(
    "Content-Length",
    chunks.reduce((n, c) => n + c.length, 0),
  );
  res.statusCode = status;
  if (head) return void res.end();
  for (const chunk of chunks) res.write(chunk);
  res.end();
}

export function residentPages(entry: AppEntry, handle: Handle): Step {
  return async (req, res, next) => {
    const state = stateOf(req);
    const origin = state.origin!;
    const render = (path: string, slot: boolean) => handle(new Request(`${origin}${path}`, { headers: { accept: "text/html" } }), { submissionSlot: slot });
    if ((req.method !== "GET" && req.method !== "HEAD") || state.search !== "" || !(residentPage(state.path) || resultsPage(state.path))) return next();
    const page = await entry.cachedPage(state.path, render, Date.now(), resultsPage(state.path) ? entry.RESULTS_TTL_MS : undefined);
    const gzip = acceptsGzip(req.headers["accept-encoding"]);
    const body = entry.pageBody(page, gzip);
    writePage(res, page.status, [...page.headers, ...body.headers], body.chunks, gzip, req.method === "HEAD");
  };
}

export function answers(entry: AppEntry, maxBody: number): Step {
  return async (req, res, next) => {
    const state = stateOf(req);
    if (req.method !== "POST" || !answerTarget(state.path) || !FORM.test(req.headers["content-type"] ?? "")) return next();
    const body = await readBody(req, maxBody);
    if (!body) return refuse(entry, res, 413, state.path);
    const channel = req.headers["x-quorum-channel"] === "offline" ? "offline" : "web";
    let fast: Awaited<ReturnType<AppEntry["fastAnswer"]>> = null;
    try {
      fast = await entry.fastAnswer({ path: state.path, body: body.toString("utf8"), channel, clientAddress: state.clientAddress });
    } catch (error) {
      // The route tries again and renders what fits (503 while the database is away).
      entry.log.warn({ error: error instanceof Error ? error.name : "error", code: (error as { code?: unknown }).code }, "answer: handing over to the route");
    }
    if (fast && "location" in fast) {
      res.writeHead(fast.status, { Location: fast.location, "Content-Length": 0 });
      return void res.end();
    }
    state.body = body;
    state.answered = fast?.answered;
    next();
  };
}
