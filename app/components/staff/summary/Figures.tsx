/** The small pieces every figure table of the summary is made of. */
import { Bar } from "~/components/staff/Bar";
import type { Cell } from "~/domain/summary/summary.server";
import { useFormat, useT } from "~/i18n/hooks";

/** Column widths shared by every figure table, so bars start at the same place in each. */
export function Cols({ groups }: { groups: number }) {
  return (
    <colgroup>
      <col className="c-label" />
      <col className="c-count" />
      <col className="c-share" />
      {Array.from({ length: groups }, (_, i) => (
        <col key={i} />
      ))}
    </colgroup>
  );
}

/** A percentage and its bar; every bar is on one scale, 0 to 100 %. */
export function ShareBar({ share, flagged }: { share: number; flagged?: boolean }) {
  const f = useFormat();
  return (
    <span className="share-bar">
      <span className="pct">{f.percent(share)}</span>
      <Bar ratio={share} flagged={flagged} />
    </span>
  );
}

/** A group's column header: its name, then how many of it answered the question. */
export function GroupHeader({ label, n }: { label: string; n: number }) {
  const t = useT();
  const f = useFormat();
  return (
    <th scope="col" className="num">
      {label}
      <br />
      <span className="of">{t("staff.summary.groupN", { n: f.number(n, 0) })}</span>
    </th>
  );
}

/** A group's mean (scale) or average position (ranking), with how many it is over. */
export function GroupMean({ mean, n }: { mean: number; n: number }) {
  const t = useT();
  const f = useFormat();
  return (
    <>
      {f.number(mean, 2)}
      <br />
      <span className="of">{t("staff.summary.groupN", { n: f.number(n, 0) })}</span>
    </>
  );
}

export function GroupCell({ c }: { c: Cell | undefined }) {
  const t = useT();
  const f = useFormat();
  if (!c || !c.base) return <>—</>;
  return (
    <>
      {f.percent(c.share)}
      <br />
      <span className="of">{t("staff.summary.cellOf", { n: f.number(c.n, 0), base: f.number(c.base, 0) })}</span>
    </>
  );
}
