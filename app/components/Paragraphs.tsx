/**
 * Plain text as paragraphs: blank lines separate paragraphs, single line breaks are kept, and
 * web addresses (http, https) become links. Never markup: everything else is text.
 */
import type { ReactNode } from "react";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

function withLinks(line: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    const at = match.index ?? 0;
    if (at > last) out.push(line.slice(last, at));
    out.push(
      <a key={at} href={match[0]} rel="nofollow noopener noreferrer">
        {match[0]}
      </a>,
    );
    last = at + match[0].length;
  }
  if (last < line.length) out.push(line.slice(last));
  return out;
}

export function Paragraphs({ text, className }: { text: string; className?: string }) {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <>
      {paragraphs.map((p, i) => (
        <p key={i} className={className}>
          {p.split("\n").map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {withLinks(line)}
            </span>
          ))}
        </p>
      ))}
    </>
  );
}
