/**
 * The ids that addresses point into (`…#errors`). Every form posts to its page's address with
 * `#errors`, so a refused form lands on its one error summary: the browser scrolls there with no
 * script at all, and /quorum.js focuses it when it runs. A redirect after success names a
 * fragment of its own, or the browser would carry `#errors` on to the next address.
 */
export const fragments = {
  /** A page's one error summary. */
  errors: "errors",
  /** A saved form's confirmation. */
  done: "done",
  /** The page's main content, after the header and menu (app/root.tsx). */
  main: "main",
} as const;
