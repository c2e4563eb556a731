import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { pipeline } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase, getDatabase, prepare } from "./platform/db.server";
import { forEachCommune, manyCommunes } from "./platform/commune.server";
import { purgeExpiredFreeText } from "./domain/moderation/moderation.server";
import { purgeSms } from "./domain/sms/conversation.server";
import { purgeUnconfirmed } from "./domain/notify/notify.server";
import { sweep } from "./domain/ratelimit/ratelimit.server";
import { errorFields, log } from "./platform/log.server";
import { startMailWorker, stopMailWorker } from "./platform/mail.server";
import { withoutNulBytes, withTitlePrefix } from "./web/render.server";
import { isStaffPath, loggablePath } from "./urls";
import { isLang, tFor } from "./i18n/i18n";
import { REFUSAL_HEADER } from "~/domain/responses/delivery";
import { KEPT_UNTIL_HEADER } from "~/web/load-context";
import { setSmallCountK } from "~/domain/opendata/public-figures.server";
import { loadEnv } from "./platform/env.server";

// Public figures are protected with the deployment's k wherever they are computed (decision 061).
setSmallCountK(loadEnv().QUORUM_SMALL_COUNT_K);

// What the HTTP server (server/) uses of the app: it shares this build's module state
// (the page cache, the content version, the database, the request scope of the logs).
export { isForgedOrigin } from "./auth/origin.server";
export { baseCodeSecret } from "./platform/code-secret.server";
export { fastAnswer } from "./web/fast-answer.server";
export { log, requestScope } from "./platform/log.server";
export { cachedPage, pageBody, RESULTS_TTL_MS } from "./page-cache/page-cache.server";
export { plainErrorPage } from "./web/plain-error.server";
export { communeForHost, inCommune, manyCommunes } from "./platform/commune.server";

const ABORT_DELAY = 5_000;

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
let purgeTimer: NodeJS.Timeout | undefined;
let smsTimer: NodeJS.Timeout | undefined;

/**
 * Forgets SMS conversations idle for a day, handled message ids after a day, and the phones that
 * answered a consultation no longer open (decision 066): hourly, so nothing is kept past a day by
 * more than an hour. Logs counts only.
 */
async function purgeSmsEverywhere(): Promise<void> {
  await forEachCommune(
    async () => {
      const { db } = await getDatabase();
      const purged = await purgeSms(db);
      if (purged.conversations || purged.messages || purged.phones) log.info(purged, "sms: kept data forgotten");
    },
    (error) => log.error(errorFields(error), "sms purge failed"),
  );
}

/** Deletes free text past its consultation's retention period (logs only a count) and old rate-limit rows. */
async function purge(): Promise<void> {
  await forEachCommune(purgeOne, (error) => log.error(errorFields(error), "retention purge failed"));
}

async function purgeOne(): Promise<void> {
  const { db } = await getDatabase();
  const removed = await purgeExpiredFreeText(db);
  if (removed) log.info({ removed }, "retention: free-text answers deleted");
  // Residents' addresses never confirmed are not kept past 7 days (with or without a mail server).
  const unconfirmed = await purgeUnconfirmed(db);
  if (unconfirmed) log.info({ unconfirmed }, "notify: unconfirmed addresses deleted");
  const sms = await purgeSms(db);
  if (sms.conversations || sms.messages || sms.phones) log.info(sms, "sms: kept data forgotten");
  // Rate-limit counters whose window ended a day ago are of no use to anyone. Last: with many
  // communes it deletes rows another process's flush may be adding, and the one that waits may be
  // chosen to fail; the purges above are done by then, and tomorrow's sweep takes what is left.
  await sweep(db, new Date(Date.now() - DAY));
}

/** Called once by the HTTP server before it listens: opens, migrates and seeds the database, then purges daily. */
export async function startup(): Promise<void> {
  await prepare();
  startTimers();
  // With many communes, each commune's purge would hold the start for a while: it runs once serving.
  if (manyCommunes()) void purge();
  else await purge();
}

/**
 * The timers of this build's modules: the mail worker and the daily purge. Under `npm run dev`
 * a newer build of the app takes them over (`stopTimers` here, `startTimers` there), so one
 * worker runs, with the code being edited (server/dev.ts).
 */
export function startTimers(): void {
  startMailWorker();
  if (!smsTimer) {
    smsTimer = setInterval(purgeSmsEverywhere, HOUR);
    smsTimer.unref();
  }
  if (purgeTimer) return;
  purgeTimer = setInterval(purge, DAY);
  purgeTimer.unref();
}

/** Stops this build's timers; whether they were running. */
export async function stopTimers(): Promise<boolean> {
  const running = purgeTimer !== undefined;
  if (purgeTimer) clearInterval(purgeTimer);
  purgeTimer = undefined;
  if (smsTimer) clearInterval(smsTimer);
  smsTimer = undefined;
  await stopMailWorker();
  return running;
}

/** Called by the HTTP server on SIGTERM once requests in flight are done. */
export async function shutdown(): Promise<void> {
  await stopTimers();
  await closeDatabase();
}

/** Errors Remix catches in loaders, actions and rendering: logged without request data. */
export function handleError(error: unknown, { request }: { request: Request }) {
  // A refusal Remix makes itself (405 for a POST to a page without an action, 404…) is an answer, not a failure.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  log.error({ ...errorFields(error), path: loggablePath(new URL(request.url).pathname) }, "request failed");
}

/** Headers a loader or action sets for the page itself (no route exports `headers`): the deepest route's win. */
const PAGE_HEADERS = ["Cache-Control", "Retry-After", "Referrer-Policy", REFUSAL_HEADER, KEPT_UNTIL_HEADER];

function pageHeadersFrom(context: EntryContext, into: Headers): void {
  const { matches, loaderHeaders, actionHeaders } = context.staticHandlerContext;
  for (const match of matches) {
    for (const source of [loaderHeaders[match.route.id], actionHeaders[match.route.id]]) {
      for (const name of PAGE_HEADERS) {
        const value = source?.get(name);
        if (value) into.set(name, value);
      }
    }
  }
}

/**
 * "Erreur : " / "Error: " when this page is a staff form sent back refused (a POST answered 4xx):
 * its title says so first, as the residents' questionnaire does (which says it in its own meta).
 */
function refusedStaffForm(request: Request, status: number): string | null {
  if (request.method !== "POST" || status < 400 || status >= 500) return null;
  const { pathname } = new URL(request.url);
  if (!isStaffPath(pathname)) return null;
  const first = pathname.split("/")[1];
  return tFor(isLang(first) ? first : "fr")("errors.titlePrefix");
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  pageHeadersFrom(remixContext, responseHeaders);
  // Every page is rendered whole before it is sent: resident pages carry no
  // script, so there is nothing to stream into later.
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />, {
      onAllReady() {
        shellRendered = true;
        const body = withoutNulBytes();
        const refused = refusedStaffForm(request, responseStatusCode);
        // pipeline, not pipe: an error in the page's stream ends the response too.
        const out = refused ? pipeline(body, withTitlePrefix(refused), () => {}) : body;
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          new Response(createReadableStreamFromReadable(out), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        if (shellRendered) log.error(errorFields(error), "render failed");
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}
