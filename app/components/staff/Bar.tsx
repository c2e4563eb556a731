/** A horizontal bar drawn on the server as inline SVG: no chart library reaches the browser. */
export function Bar({ ratio, flagged }: { ratio: number; flagged?: boolean }) {
  const width = Math.max(0, Math.min(1, ratio)) * 100;
  return (
    <svg className="bar" viewBox="0 0 100 10" preserveAspectRatio="none" width="160" height="14" aria-hidden="true" focusable="false">
      <rect x="0" y="0" width="100" height="10" fill="#e6ebf0" />
      <rect x="0" y="0" width={width} height="10" fill={flagged ? "#b00020" : "#0b4f8a"} />
    </svg>
  );
}
