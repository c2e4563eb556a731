/**
 * Answers the page script keeps on the device before the service worker controls the page
 * (a first visit on 2G, or a worker that could not install): one IndexedDB store that the page
 * writes and the worker empties into its delivery queue (decision 046). An answer leaves this
 * store once the worker holds it; the server counts a submission id once, whoever sends it.
 */
import { createStore, del, set, values } from "idb-keyval";

export interface KeptAnswer {
  submissionId: string;
  receipt: string;
  lang: "fr" | "en";
  slug: string;
  /** Where the answer is posted: the consultation's page. */
  path: string;
  /** The form, URL-encoded, as the browser would have posted it. */
  body: string;
  savedAt: number;
}

let store: ReturnType<typeof createStore> | undefined;
const outbox = () => (store ??= createStore("quorum-outbox", "answers"));

/** Keeps an answer; a second press of "send" (the same submission id) keeps it once. */
export const keepInOutbox = (answer: KeptAnswer): Promise<void> => set(answer.submissionId, answer, outbox());
export const inOutbox = (): Promise<KeptAnswer[]> => values<KeptAnswer>(outbox());
export const leaveOutbox = (submissionId: string): Promise<void> => del(submissionId, outbox());
