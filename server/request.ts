/**
 * The chain's first steps: what every request gets before anything looks at it.
 * - a request id (a well-formed X-Request-Id is kept, else a new one), sent back
 *   in X-Request-Id, in the load context and on every log line of the request;
 * - one log line when it ends: method, path, status, duration (no query string,
 *   no Host, no address, no form value);
 * - the request target checked: only GET, HEAD and POST (405 otherwise, TRACE
 *   and `OPTIONS *` included), only origin-form targets (`/path?query`; an
 *   absolute-form or authority-form target is a 400), at most 8 KiB, a path that
 *   decodes to UTF-8 without control characters or backslashes, no `_data`
 *   query parameter (the data protocol single fetch replaced).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { QuorumContext } from "~/web/load-context";
import { loggablePath } from "~/urls";
import type { Step } from "./chain";
import type { AppEntry } from "./entry";

const REQUEST_ID = /^[\w-]{1,64}$/;
const METHODS = new Set(["GET", "HEAD", "POST"]);
const MAX_TARGET = 8 * 1024;

export interface RequestState {
  id: string;
  /** The path as received (still percent-encoded), checked: safe to log and to route on. */
  path: string;
  /** The query string, with its "?", or "". Never logged. */
  search: string;
  /**
   * The public origin pages are rendered for, set by the Host step: QUORUM_ORIGIN, or the
   * commune's own with many communes — never read from the request.
   */
  origin?: string;
  /** The client address to key rate limits on, set by the client step. */
  clientAddress?: string;
  /** A body already read by an earlier step (the answer handler), with what the domain made of it. */
  body?: Buffer;
  answered?: QuorumContext["answered"];
}

const STATE = Symbol("quorum.request");
type WithState = IncomingMessage & { [STATE]?: RequestState };

export function stateOf(req: IncomingMessage): RequestState {
  const state = (req as WithState)[STATE];
  if (!state) throw new Error("request state read before the chain set it");
  return state;
}

/** A small page in the language of the address; after a 413 the connection closes (the body is not read). */
export function refuse(entry: AppEntry, res: ServerResponse, status: number, path: string, headers: Record<string, string> = {}, reason?: "suspended"): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status === 413) res.setHeader("Connection", "close");
  const html = entry.plainErrorPage(status, path, reason);
  res.writeHead(status, { ...headers, "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(html), "Cache-Control": "no-store" });
  res.end(res.req.method === "HEAD" ? undefined : html);
}

/** Whether a request path is one Quorum could serve: decodable, no control characters, no backslash. */
export function isCleanPath(path: string): boolean {
  if (!path.startsWith("/") || path.startsWith("//")) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return false;
  }
  return !/[\u0000-\u001f\u007f-\u009f\\\u2028\u2029]/.test(decoded) && !/[\u0000-\u0020\u007f]/.test(path);
}

export function begin(entry: AppEntry): Step {
  return (req, res, next) => {
    const given = req.headers["x-request-id"];
    const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    const target = req.url ?? "";
    const q = target.indexOf("?");
    const path = q === -1 ? target : target.slice(0, q);
    const state: RequestState = { id, path, search: q === -1 ? "" : target.slice(q) };
    (req as WithState)[STATE] = state;
    const started = performance.now();
    res.setHeader("X-Request-Id", id);
    entry.requestScope.run({ id }, () => {
      // The line is written in the request's scope (its id), entered again when the response ends.
      // A listener bound to the scope (AsyncResource.bind) made an async resource and two accessors per
      // request: without it a kept page costs about half as much (decision 067).
      res.on("finish", () =>
        entry.requestScope.run({ id }, () => {
          const logged = isCleanPath(path) && path.length <= 512 ? loggablePath(path) : "(refused target)";
          entry.log.info(
            {
              method: METHODS.has(req.method ?? "") ? req.method : "(other)",
              path: logged,
              status: res.statusCode,
              ms: Math.round((performance.now() - started) * 10) / 10,
            },
            "request",
          );
        }),
      );
      if (!METHODS.has(req.method ?? "")) return refuse(entry, res, 405, "/", { Allow: "GET, HEAD, POST" });
      if (target.length > MAX_TARGET) return refuse(entry, res, 414, "/");
      if (!isCleanPath(path)) return refuse(entry, res, 400, "/");
      // `?_data=` was Remix's data protocol before single fetch (`.data` URLs); nothing answers it now.
      if (/(^\?|&)_data(=|&|$)/.test(state.search)) return refuse(entry, res, 400, path);
      next();
    });
  };
}
