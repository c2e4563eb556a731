/**
 * Who a printed sheet comes from: the municipality's logo (when the settings have one) and name,
 * then its postal address line by line, its phone and contact. Letters and the blank paper
 * questionnaire open with it.
 */
export interface SenderProps {
  municipality: string;
  logo: { src: string; width: number; height: number } | null;
  contactLines: string[];
}

/** Drawn 15 mm high on paper (app.css), its width following the image's own proportions. */
export function Sender({ municipality, logo, contactLines }: SenderProps) {
  return (
    <div className="letter-from">
      {logo ? <img className="print-logo" src={logo.src} width={Math.round((logo.width * 48) / logo.height)} height={48} alt="" /> : null}
      <p>
        <strong>{municipality}</strong>
        {contactLines.map((line, i) => (
          <span key={i}>
            <br />
            {line}
          </span>
        ))}
      </p>
    </div>
  );
}
