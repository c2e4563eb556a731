/**
 * A data table that may be wider than a phone: it scrolls sideways inside this container, which
 * stays within the page (WCAG 1.4.10 allows it for data tables), so the page itself never does.
 * The container takes focus, so it scrolls with the keyboard too, and is named for that.
 */
import type { ReactNode } from "react";

export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
