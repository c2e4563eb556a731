/**
 * Public figures as a published snapshot (decision 061). Staff see exact figures at once; the
 * public sees figures that move only in steps of at least k answers since the last public ones,
 * so no two public versions differ by one person. They are computed once per step (not per
 * request), protected (protect.ts), and kept here with the free texts and quotes they may show.
 *
 * What changes between steps without a new answer — a moderator hiding a text, a theme tagged —
 * takes effect as follows: a hidden text leaves the public pages at once (it is filtered when
 * read); the counts follow at the next snapshot, or at once when no answer arrived since the last
 * one (then the difference holds no one's answer).
 */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client";
import { answers, auditLog, consultations, publicFigures, responses } from "#db/schema";
import { contentChanged } from "../consultations/cache.server";
import type { ConsultationView } from "../consultations/types";
import { summarize, type Summary } from "../summary/summary.server";
import { DEFAULT_SMALL_COUNT_K } from "./disclosure";
import { protectSummary, residentDifferences, type ProtectedRow, type ResidentDifference } from "./protect";
import { visibleTexts } from "./texts.server";

export interface PublicText {
  id: number;
  questionCode: string;
  text: string;
}

export interface PublicSnapshot {
  version: number;
  takenAt: Date;
  /** Exact number of answers the figures were computed from. */
  responses: number;
  rows: ProtectedRow[];
  /** Visible free texts of the questions whose texts may be public, as they were then. */
  texts: PublicText[];
  /** Representative quotes of themes whose count is shown. */
  quotes: { questionCode: string; theme: string; text: string }[];
}

let configuredK = DEFAULT_SMALL_COUNT_K;

/** The deployment's smallest public count (QUORUM_SMALL_COUNT_K), set once at start-up. */
export function setSmallCountK(k: number): void {
  configuredK = k;
}

/** The smallest public count every refresh uses. */
export const smallCountK = () => configuredK;

/**
 * Public figures taken on their own read every table from one snapshot of the database: answers
 * arriving meanwhile are in all of them or in none (the total and each question's count agree).
 */
const CONSISTENT = { isolationLevel: "repeatable read" } as const;

/** Answers needed since the last public figures before new ones: k, or 1 % of the answers at a city's scale. */
export const stepAfter = (published: number, k: number) => Math.max(k, Math.ceil(published / 100));

/** Whether anything shows the consultation's figures to the public. */
export const showsFigures = (c: { resultsPublishedAt: Date | null; openDataPublishedAt: Date | null }) => !!(c.resultsPublishedAt || c.openDataPublishedAt);

/**
 * The public figures as last computed. Their free texts (every visible text of a city's
 * consultation: megabytes) are read only when `texts` is true; else `texts` is empty, and the
 * rows and quotes are taken out of the stored dataset by the database.
 */
export async function readPublicFigures(db: DbOrTx, consultationId: string, { texts = true }: { texts?: boolean } = {}): Promise<PublicSnapshot | null> {
  const [row] = await db
    .select({
      version: publicFigures.version,
      takenAt: publicFigures.takenAt,
      responses: publicFigures.responses,
      rows: sql<ProtectedRow[]>`${publicFigures.dataset} -> 'rows'`,
      quotes: sql<PublicSnapshot["quotes"]>`${publicFigures.dataset} -> 'quotes'`,
      texts: texts ? sql<PublicText[]>`${publicFigures.dataset} -> 'texts'` : sql<PublicText[]>`'[]'::jsonb`,
    })
    .from(publicFigures)
    .where(eq(publicFigures.consultationId, consultationId));
  if (!row) return null;
  return row ?? null;
}

/** When the public figures were last computed, their version and how many answers they hold, without the figures themselves. */
export async function publicFiguresTaken(db: DbOrTx, consultationId: string): Promise<Pick<PublicSnapshot, "version" | "takenAt" | "responses"> | null> {
  const [row] = await db
    .select({ version: publicFigures.version, takenAt: publicFigures.takenAt, responses: publicFigures.responses })
    .from(publicFigures)
    .where(eq(publicFigures.consultationId, consultationId));
  return row ?? null;
}

/**
 * Why public figures may be taken again: a publication, new answers (a step is needed), or a
 * change to texts or themes (taken at once only when no answer arrived since).
 */
export type RefreshCause = "publication" | "answers" | "texts";

/** New public figures (with the snapshot written), or the version kept. */
export type Refreshed = { created: true; version: number; snapshot: PublicSnapshot } | { created: false; version: number };

/**
 * Inside a transaction: takes new public figures when they are due. Null when the consultation
 * shows no figures to the public. Holds the consultation's row while it decides, so two processes
 * never write the same version.
 */
export async function refreshPublicFigures(tx: DbOrTx, c: ConsultationView, cause: RefreshCause, k: number, now: Date): Promise<Refreshed | null> {
  const [state] = await tx
    .select({ resultsPublishedAt: consultations.resultsPublishedAt, openDataPublishedAt: consultations.openDataPublishedAt })
    .from(consultations)
    .where(eq(consultations.id, c.id))
    // Not FOR UPDATE: that would also hold back every answer (their foreign key takes a key-share lock).
    .for("no key update");
  if (!state || !showsFigures(state)) return null;
  const last = await publicFiguresTaken(tx, c.id);
  const [{ total }] = await tx.select({ total: count() }).from(responses).where(eq(responses.consultationId, c.id));
  const due = !last || total - last.responses >= stepAfter(last.responses, k) || (cause === "texts" && total === last.responses);
  if (!due) return { created: false, version: last.version };
  const summary = await summarize(tx, c);
  // Taken inside another change's transaction (a paper form, a publication), the tables are read one
  // after another: if answers arrived in between, they disagree, and these figures wait for the next try.
  const channels = summary.byChannel.web + summary.byChannel.offline + summary.byChannel.paper;
  if (channels !== summary.total || summary.questions.some((q) => q.answered > summary.total)) return last ? { created: false, version: last.version } : null;
  const { rows, textsOpen, quotesOpen } = protectSummary(summary, k);
  const texts = (await visibleTexts(tx, c.id)).filter((t) => textsOpen.has(t.questionCode));
  const quotes = summary.questions.flatMap((q) =>
    q.themes.filter((th) => quotesOpen.get(q.code)?.has(th.code)).flatMap((th) => th.quotes.map((text) => ({ questionCode: q.code, theme: th.code, text }))),
  );
  const snapshot: PublicSnapshot = { version: (last?.version ?? 0) + 1, takenAt: now, responses: summary.total, rows, texts, quotes };
  const values = { version: snapshot.version, takenAt: now, responses: summary.total, dataset: { rows, texts, quotes } };
  await tx
    .insert(publicFigures)
    .values({ consultationId: c.id, ...values })
    .onConflictDoUpdate({ target: publicFigures.consultationId, set: values });
  return { created: true, version: snapshot.version, snapshot };
}

/**
 * The public figures, taken now when published but never taken (published before they were kept);
 * their free texts only when `texts` (see readPublicFigures).
 */
export async function currentPublicFigures(db: Db, c: ConsultationView, k: number, { texts = true }: { texts?: boolean } = {}): Promise<PublicSnapshot | null> {
  const kept = await readPublicFigures(db, c.id, { texts });
  if (kept || !showsFigures(c)) return kept;
  const taken = await db.transaction((tx) => refreshPublicFigures(tx, c, "publication", k, new Date()), CONSISTENT);
  return taken?.created ? taken.snapshot : null;
}

/** The questions whose free texts are in the public figures (read in the database, without the texts). */
async function questionsWithPublicTexts(db: DbOrTx, consultationId: string): Promise<Set<string>> {
  const [row] = await db
    .select({
      codes: sql<
        string[]
      >`(select coalesce(jsonb_agg(distinct t ->> 'questionCode'), '[]'::jsonb) from jsonb_array_elements(${publicFigures.dataset} -> 'texts') t)`,
    })
    .from(publicFigures)
    .where(eq(publicFigures.consultationId, consultationId));
  return new Set(row?.codes ?? []);
}

/** Answers received since the public figures were computed: not in them yet. */
export async function answersSince(db: DbOrTx, consultationId: string, figures: Pick<PublicSnapshot, "responses"> | null): Promise<number> {
  if (!figures) return 0;
  const [{ total }] = await db.select({ total: count() }).from(responses).where(eq(responses.consultationId, consultationId));
  return Math.max(0, total - figures.responses);
}

/**
 * Before one more answer is entered (a paper form): whether the public figures will move with it.
 * Null when nothing shows figures to the public; else the step, the answers received since the
 * public figures, and whether this one completes the step.
 */
export async function nextPublicStep(db: DbOrTx, c: ConsultationView): Promise<{ step: number; since: number; moves: boolean } | null> {
  if (!showsFigures(c)) return null;
  const figures = await publicFiguresTaken(db, c.id);
  if (!figures) return null;
  const step = stepAfter(figures.responses, smallCountK());
  const since = await answersSince(db, c.id, figures);
  return { step, since, moves: since + 1 >= step };
}

/** When a moderator last hid or restored one of the consultation's texts (public texts changed then); null if never. */
export async function textsModeratedAt(db: DbOrTx, consultationId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | null>`max(${auditLog.at})` })
    .from(auditLog)
    .where(
      and(
        inArray(auditLog.action, ["moderation.hide", "moderation.restore"]),
        eq(auditLog.targetType, "answer"),
        sql`${auditLog.targetId} in (select a.id::text from ${answers} a join ${responses} r on r.id = a.response_id where r.consultation_id = ${consultationId})`,
      ),
    );
  return row?.at ? new Date(row.at) : null;
}

/** Free texts hidden by moderation now, by answer id and by text (quotes carry only their text). */
export async function hiddenTexts(db: DbOrTx, consultationId: string): Promise<{ ids: Set<number>; texts: Set<string> }> {
  const rows = await db
    .select({ id: answers.id, text: sql<string>`${answers.text}` })
    .from(answers)
    .innerJoin(responses, eq(responses.id, answers.responseId))
    .where(and(eq(responses.consultationId, consultationId), eq(answers.hidden, true)));
  return { ids: new Set(rows.map((r) => r.id)), texts: new Set(rows.map((r) => r.text)) };
}

/**
 * After a change to themes or quotes (staff work on texts, no one's answer): public figures taken
 * again at once when no answer arrived since the last ones, else with the next step.
 */
export async function refreshAfterThemes(db: Db, c: ConsultationView): Promise<void> {
  const result = await db.transaction((tx) => refreshPublicFigures(tx, c, "texts", smallCountK(), new Date()), CONSISTENT);
  if (result?.created) await contentChanged(c.slug);
}

const running = new Map<string, { again: boolean; done: Promise<void> }>();

/**
 * After an answer has committed: new public figures once a step of answers has arrived, one
 * computation at a time per consultation (answers arriving meanwhile ask for one more). Calls
 * `changed` after a new version was written, so pages are rendered again.
 */
export function refreshAfterAnswers(db: Db, c: ConsultationView, k: number, changed: () => void): Promise<void> {
  const current = running.get(c.id);
  if (current) {
    current.again = true;
    return current.done;
  }
  const entry = { again: false, done: Promise.resolve() };
  entry.done = (async () => {
    try {
      do {
        entry.again = false;
        const result = await db.transaction((tx) => refreshPublicFigures(tx, c, "answers", k, new Date()), CONSISTENT);
        if (result?.created) changed();
      } while (entry.again);
    } finally {
      running.delete(c.id);
    }
  })();
  running.set(c.id, entry);
  return entry.done;
}

/**
 * For the staff summary: what residents see differently (decision 061). With public figures, those
 * as last computed and the answers since; without, what publishing now would show.
 */
export async function residentView(
  db: DbOrTx,
  c: ConsultationView,
  exact: Summary,
  k: number,
): Promise<{ shown: boolean; asOf: string | null; responses: number | null; since: number; step: number; differences: ResidentDifference[] }> {
  const figures = showsFigures(c) ? await readPublicFigures(db, c.id, { texts: false }) : null;
  if (figures) {
    const textsOpen = await questionsWithPublicTexts(db, c.id);
    return {
      shown: true,
      asOf: figures.takenAt.toISOString(),
      responses: figures.responses,
      // The exact summary has just counted every answer: no second count.
      since: Math.max(0, exact.total - figures.responses),
      step: stepAfter(figures.responses, k),
      differences: residentDifferences(exact, figures.rows, textsOpen),
    };
  }
  const now = protectSummary(exact, k);
  return { shown: false, asOf: null, responses: null, since: 0, step: k, differences: residentDifferences(exact, now.rows, now.textsOpen) };
}
