/**
 * The chain's last step for everything that is not a hot path: the Remix
 * request handler, reached through a Fetch Request built from the configured
 * public origin and the checked request path — never from Host or
 * X-Forwarded-* — with the request id and the client key in the load context.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { QuorumContext } from "~/web/load-context";
import { isStaffPath } from "~/urls";
import type { Step } from "./chain";
import type { AppEntry } from "./entry";
import { readBody } from "./guards";
import { refuse, stateOf } from "./request";

/** Headers the app never sees as the client sent them: the site's own host stands for Host. */
const DROPPED = new Set([
  "host",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-for",
  "forwarded",
  "connection",
  "transfer-encoding",
  "content-length",
  "expect",
  "upgrade",
]);

export function requestHeaders(req: IncomingMessage, originHost: string): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED.has(name)) continue;
    try {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else headers.set(name, value);
    } catch {
      // A header value the Fetch API refuses is dropped, as a browser would never send it.
    }
  }
  // Remix refuses an action whose Origin names another host than Host. The chain has
  // already checked Origin against the allow-list, so an Origin here is one of ours.
  const origin = headers.get("origin");
  let host = originHost;
  if (origin) {
    try {
      host = new URL(origin).host;
    } catch {
      // not a URL: Remix refuses it as it should
    }
  }
  headers.set("host", host);
  return headers;
}

export type Handle = (request: Request, context: QuorumContext) => Promise<Response>;

export function remixHandler(build: ServerBuild, mode: string): Handle {
  const handle = createRequestHandler(build, mode);
  return (request, context) => handle(request, context as Record<string, unknown>);
}

/** Writes a Fetch Response to Node's response. */
export async function send(res: ServerResponse, response: Response, head: boolean): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("Set-Cookie", cookies);
  if (head || !response.body) {
    await response.body?.cancel();
    res.end();
    return;
  }
  await writeReadableStreamToWritable(response.body, res);
}

export function remix(entry: AppEntry, handle: Handle, maxBody: number): Step {
  return async (req, res) => {
    const state = stateOf(req);
    const origin = state.origin!;
    const originHost = new URL(origin).host;
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    let body = state.body;
    if (req.method === "POST" && !body) {
      const read = await readBody(req, maxBody);
      if (!read) return refuse(entry, res, 413, state.path);
      body = read;
    }
    const request = new Request(`${origin}${state.path}${state.search}`, {
      method: req.method,
      headers: requestHeaders(req, originHost),
      body: body ? new Uint8Array(body) : undefined,
      signal: controller.signal,
    });
    let response = await handle(request, { requestId: state.id, clientAddress: state.clientAddress, answered: state.answered });
    // Staff pages and their single-fetch `.data` answers are never kept by any cache.
    if (isStaffPath(state.path) && !response.headers.has("cache-control")) {
      response = new Response(response.body, response); // a redirect's headers cannot be changed in place
      response.headers.set("Cache-Control", "private, no-store");
    }
    await send(res, response, req.method === "HEAD");
  };
}
