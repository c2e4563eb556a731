/**
 * A page's <title>: what the page is, then (for a consultation's staff pages) which consultation,
 * then the municipality's short name from its settings — "Thèmes – Capteurs place du marché –
 * Saint-Damien" — so titles tell tabs, history and screen-reader users where they are (RGAA 8.6).
 * "Quorum" only when no settings reached the page.
 */
import type { RootData } from "./hooks";

type Matches = readonly { id: string; data: unknown }[];

/** The site's name for titles: the municipality's short name, from the root loader's data. */
export function siteName(matches: Matches): string {
  const root = matches.find((m) => m.id === "root")?.data as RootData | undefined;
  return root?.municipality?.shortName || "Quorum";
}

export function pageTitle(matches: Matches, ...parts: (string | null | undefined)[]): string {
  return [...parts.filter((p): p is string => !!p), siteName(matches)].join(" – ");
}
