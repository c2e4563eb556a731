/**
 * The one request chain: an ordered list of connect-style steps
 * (`(req, res, next)`, as helmet and compression are). A step answers the
 * request or calls `next()`; an error, thrown, rejected or passed to
 * `next(error)`, goes to the chain's error handler. Nothing runs beside it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export type Next = (error?: unknown) => void;
export type Step = (req: IncomingMessage, res: ServerResponse, next: Next) => void | Promise<void>;
export type ErrorHandler = (error: unknown, req: IncomingMessage, res: ServerResponse) => void;

export function chain(steps: Step[], onError: ErrorHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    let index = 0;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      onError(error, req, res);
    };
    const next: Next = (error) => {
      if (error !== undefined && error !== null) return fail(error);
      const step = steps[index++];
      if (!step) return fail(new Error("request chain ended without an answer"));
      try {
        const result = step(req, res, next);
        if (result instanceof Promise) result.catch(fail);
      } catch (thrown) {
        fail(thrown);
      }
    };
    next();
  };
}
