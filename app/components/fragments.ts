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

/** A free text on the moderation and themes pages. */
export const answerFragment = (answerId: number | string) => `answer-${answerId}`;
/** A theme of the codebook, active or retired (themes page). */
export const themeFragment = (themeId: string) => `theme-${themeId}`;
/** A question of the builder (questions page). */
export const questionFragment = (questionId: string) => `q-${questionId}`;

/** Elements one `at` may name: a page of texts, or a bulk action's texts (a page's worth). */
const LANDING_MAX = 100;

/**
 * Where a list page lands after an action (moderation, themes): the `at` query parameter names the
 * elements acted on, by id, separated by dots (kept as they are in an address), and the redirect's fragment is the first of them, so
 * the browser scrolls there and starts keyboard navigation there, with no script. The page keeps
 * those elements in view (a text hidden from a list of visible texts stays in its place, once) and
 * shows its confirmation beside the first. Anything else in `at` is ignored.
 */
export function landing(at: string | null | undefined): { first: string | null; ids: string[]; answers: number[] } {
  const ids = (at ?? "")
    .split(".")
    .slice(0, LANDING_MAX)
    .filter((id) => /^[a-z][a-z0-9-]{0,60}$/.test(id));
  const answers = ids.map((id) => /^answer-([1-9]\d{0,14})$/.exec(id)?.[1]).filter((n): n is string => !!n);
  return { first: ids[0] ?? null, ids, answers: answers.map(Number) };
}

/** The `at` parameter for elements acted on, the first of them being where the page lands. */
export const landingAt = (ids: string[]) => ids.slice(0, LANDING_MAX).join(".");
