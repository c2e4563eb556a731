/** What the themes page shows, as its loader sends it (dates as ISO strings). */
import type { QueueItem } from "~/domain/themes/queue.server";
import type { SuggestionGroup } from "~/domain/themes/suggestions.server";
import type { Theme } from "~/domain/themes/themes.server";
import type { Segment } from "~/domain/themes/stems";

export type ThemeView = Omit<Theme, "retiredAt"> & { retiredAt: string | null };

export type QueueItemView = Omit<QueueItem, "receivedAt"> & { receivedAt: string; prompt: string };

/** A group of near-identical texts a theme's keywords matched: the first shown, the others counted. */
export type SuggestionView = Pick<SuggestionGroup, "id" | "themeId" | "keywords"> & { prompt: string; segments: Segment[]; count: number };

export interface ThemesFilterView {
  theme: string | null;
  question: string | null;
  q: string | null;
  page: number;
}

/** A theme's label in the page's language, by id (its id when it is not in the codebook). */
export type LabelOf = (themeId: string) => string;
