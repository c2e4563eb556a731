import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import type { TFunction } from "i18next";
import { useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Done, Field } from "~/components/staff/Fields";
import {
  DEMOGRAPHIC_CODES,
  FOOTER_LINKS,
  LICENCES,
  logoPath,
  readSettings,
  saveSettings,
  settingsSchema,
  type Municipality,
  type SettingsRefusal,
} from "~/domain/settings/settings.server";
import { phraseFor } from "~/domain/settings/in-sentence";
import { LOGO_MAX_BYTES } from "~/domain/settings/logo";
import { parseFormData } from "~/forms/forms.server";
import { errorsOf, refusalReply, valuesOf, type Errors, type FormResult, type RefusalAnswer } from "~/forms/result";
import { readForm } from "~/web/http.server";
import { useT } from "~/i18n/hooks";
import { formatInputNumber } from "~/i18n/format";
import { tFor, type Lang } from "~/i18n/i18n";
import { mailConfigured } from "~/platform/mail.server";
import { smsNumber, smsProvider } from "~/web/sms.server";
import { settingsChanged, settingsDefaults } from "~/web/settings.server";
import { staffRequest } from "~/web/staff.server";
import { DEMOGRAPHICS } from "~/domain/consultations/lists";
import { STANDARD_DEMOGRAPHICS } from "~/domain/consultations/standard";
import { urls } from "~/urls";
import { fragments } from "~/components/fragments";
import { FormSummary } from "~/components/staff/Refusal";
import { pageTitle } from "~/i18n/title";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { lang, db } = await staffRequest(request, params, "settings:manage");
  // Read afresh: the form carries the version it was loaded at.
  const { municipality, version } = await readSettings(db, settingsDefaults());
  return json({
    lang,
    municipality,
    version,
    mail: mailConfigured(),
    sms: { provider: smsProvider(), number: smsNumber() },
    zones: Intl.supportedValuesOf("timeZone"),
  });
}

const LOGO_LIMIT = { max: LOGO_MAX_BYTES / 1024 };
const REFUSED = {
  stale: { status: 409, key: "stale" },
  logo_empty: { status: 400, key: "logoEmpty", field: "logo", params: LOGO_LIMIT },
  logo_too_large: { status: 400, key: "logoTooLarge", field: "logo", params: LOGO_LIMIT },
  logo_not_image: { status: 400, key: "logoNotImage", field: "logo", params: LOGO_LIMIT },
} satisfies Record<SettingsRefusal, RefusalAnswer>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { lang, staff, db } = await staffRequest(request, params, "settings:manage");
  const form = await readForm(request);
  const submission = parseFormData(form, settingsSchema);
  const file = form.get("logo");
  const bytes = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  if (submission.status !== "success") return json({ result: submission.reply() as FormResult }, { status: 400 });
  const saved = await saveSettings(db, staff.id, settingsDefaults(), submission.value, bytes);
  if (!saved.ok) {
    const refused: RefusalAnswer = REFUSED[saved.reason];
    return json({ result: submission.reply(refusalReply(refused)) as FormResult }, { status: refused.status });
  }
  await settingsChanged();
  return redirect(urls.staff.settings(lang, { done: "settings", hash: fragments.done }));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [{ title: pageTitle(matches, tFor(data?.lang ?? "fr")("staff.settings.title")) }];

/** The standard question's answer a default share is for, in the page's language ("Une autre langue"). */
const answerLabel = (demographic: string, code: string, lang: Lang) =>
  STANDARD_DEMOGRAPHICS[demographic as keyof typeof STANDARD_DEMOGRAPHICS]?.options.find((o) => o.code === code)?.labels[lang] ?? code;

/** The form's values as the page shows them: shares in the page's language ("10,5" in French). */
function flat(m: Municipality, version: number, lang: Lang): Record<string, string> {
  const values: Record<string, string> = {
    version: String(version),
    "name.fr": m.name.fr,
    "name.en": m.name.en,
    "shortName.fr": m.shortName.fr,
    "shortName.en": m.shortName.en,
    // Blank while it is the one made from the name: renaming the municipality then renames it too.
    "inSentence.fr": m.inSentence.fr === phraseFor("fr", m.name.fr) ? "" : m.inSentence.fr,
    "inSentence.en": m.inSentence.en === phraseFor("en", m.name.en) ? "" : m.inSentence.en,
    "contact.email": m.contact.email,
    "contact.phone": m.contact.phone,
    "contact.address": m.contact.address,
    "contact.web": m.contact.web,
    "privacyOfficer.name": m.privacyOfficer.name,
    "privacyOfficer.email": m.privacyOfficer.email,
    "privacyOfficer.address": m.privacyOfficer.address,
    licence: m.licence,
    timeZone: m.timeZone,
    referenceSource: m.referenceSource,
  };
  for (const d of DEMOGRAPHICS)
    for (const [code, share] of Object.entries(m.references[d] ?? {})) values[`references.${d}.${code}`] = formatInputNumber(share, lang);
  m.footerLinks.forEach((l, i) => {
    values[`links[${i}].fr`] = l.label.fr;
    values[`links[${i}].en`] = l.label.en;
    values[`links[${i}].url`] = l.url;
  });
  return values;
}

function Select({ name, label, value, options, errors }: { name: string; label: string; value: string; options: readonly string[]; errors: Errors }) {
  const t = useT();
  const id = `f-${name}`;
  const error = errors[name];
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p className="error" id={`${id}-error`}>
          {t(`staffErrors.${error.key}`, error.params ?? {})}
        </p>
      ) : null}
      <select id={id} name={name} defaultValue={value} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}

const LABELS: Record<string, string> = {
  "name.fr": "nameFr",
  "name.en": "nameEn",
  "shortName.fr": "shortNameFr",
  "shortName.en": "shortNameEn",
  "inSentence.fr": "inSentenceFr",
  "inSentence.en": "inSentenceEn",
  logo: "logo",
  licence: "licence",
  timeZone: "timeZone",
  referenceSource: "referenceSource",
};
const GROUPS: Record<string, string> = { contact: "contact", privacyOfficer: "privacyOfficer" };
const GROUPED: Record<string, string> = { email: "email", phone: "phone", address: "address", web: "web", name: "officerName" };
const LINK_PARTS: Record<string, string> = { fr: "linkLabelFr", en: "linkLabelEn", url: "web" };

/** A settings field's name as the error summary says it: its label, after its group's where labels repeat. */
function settingsLabel(t: TFunction, lang: Lang, name: string): string {
  const s = (key: string) => t(`staff.settings.${key}`);
  if (LABELS[name]) return s(LABELS[name]);
  const [group, part] = name.split(".");
  if (GROUPS[group] && GROUPED[part]) return `${s(GROUPS[group])} – ${s(GROUPED[part])}`;
  const link = /^links\[(\d+)\]\.(fr|en|url)$/.exec(name);
  if (link) return `${t("staff.settings.link", { n: Number(link[1]) + 1 })} – ${s(LINK_PARTS[link[2]])}`;
  const reference = /^references\.(\w+)\.([\w-]+)$/.exec(name);
  if (reference) return `${s(`demographic.${reference[1]}`)} – ${t("staff.settings.shareOf", { answer: answerLabel(reference[1], reference[2], lang) })}`;
  return name;
}

export default function Settings() {
  const { lang, municipality: m, version, mail, sms, zones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>()?.result;
  const [search] = useSearchParams();
  const t = useT();
  const errors = errorsOf(result);
  const v = { ...flat(m as Municipality, version, lang), ...(valuesOf(result) ?? {}) };
  const field = (name: string, label: string, extra: { type?: string; multiline?: boolean; help?: string; lang?: string } = {}) => (
    <Field name={name} label={label} value={v[name]} errors={errors} {...extra} />
  );
  const logoError = errors.logo;
  return (
    <>
      <h1>{t("staff.settings.title")}</h1>
      <p>{t("staff.settings.intro")}</p>
      <Done done={search.get("done")} />
      <FormSummary errors={errors} list label={(name) => settingsLabel(t, lang, name)} />
      <form method="post" action={urls.staff.settings(lang, { hash: fragments.errors })} encType="multipart/form-data" className="staff-form" noValidate>
        <input type="hidden" name="version" value={v.version} />
        <fieldset>
          <legend>{t("staff.settings.identity")}</legend>
          {field("name.fr", t("staff.settings.nameFr"), { lang: "fr" })}
          {field("name.en", t("staff.settings.nameEn"), { lang: "en" })}
          {field("shortName.fr", t("staff.settings.shortNameFr"), { lang: "fr", help: t("staff.settings.shortNameHelp") })}
          {field("shortName.en", t("staff.settings.shortNameEn"), { lang: "en" })}
          {field("inSentence.fr", t("staff.settings.inSentenceFr"), {
            lang: "fr",
            help: t("staff.settings.inSentenceHelpFr", { made: phraseFor("fr", m.name.fr) }),
          })}
          {field("inSentence.en", t("staff.settings.inSentenceEn"), {
            lang: "en",
            help: t("staff.settings.inSentenceHelpEn", { made: phraseFor("en", m.name.en) }),
          })}
          <div className={`field${logoError ? " has-error" : ""}`}>
            <label htmlFor="f-logo">{t("staff.settings.logo")}</label>
            <p className="help" id="f-logo-help">
              {t("staff.settings.logoHelp", { max: LOGO_MAX_BYTES / 1024 })}
            </p>
            {logoError ? (
              <p className="error" id="f-logo-error">
                {t(`staffErrors.${logoError.key}`, logoError.params ?? {})}
              </p>
            ) : null}
            {m.logo ? (
              <p>
                <img src={logoPath(m.logo as NonNullable<Municipality["logo"]>)} alt={t("staff.settings.logoNow")} height={40} />
              </p>
            ) : null}
            <input
              id="f-logo"
              name="logo"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              aria-describedby={`f-logo-help${logoError ? " f-logo-error" : ""}`}
              aria-invalid={logoError ? true : undefined}
            />
            {m.logo ? (
              <p>
                <input type="checkbox" id="f-removeLogo" name="removeLogo" />
                <label htmlFor="f-removeLogo">{t("staff.settings.removeLogo")}</label>
              </p>
            ) : null}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("staff.settings.contact")}</legend>
          {field("contact.email", t("staff.settings.email"), { type: "email" })}
          {field("contact.phone", t("staff.settings.phone"), { type: "tel" })}
          {field("contact.address", t("staff.settings.address"), { multiline: true })}
          {field("contact.web", t("staff.settings.web"), { type: "url", help: t("staff.settings.httpsHelp") })}
        </fieldset>
        <fieldset>
          <legend>{t("staff.settings.privacyOfficer")}</legend>
          {field("privacyOfficer.name", t("staff.settings.officerName"))}
          {field("privacyOfficer.email", t("staff.settings.email"), { type: "email" })}
          {field("privacyOfficer.address", t("staff.settings.address"), { multiline: true })}
        </fieldset>
        <fieldset>
          <legend>{t("staff.settings.data")}</legend>
          <Select name="licence" label={t("staff.settings.licence")} value={v.licence} options={LICENCES} errors={errors} />
          <Select name="timeZone" label={t("staff.settings.timeZone")} value={v.timeZone} options={zones} errors={errors} />
        </fieldset>
        <fieldset>
          <legend>{t("staff.settings.references")}</legend>
          <p className="help">{t("staff.settings.referencesHelp")}</p>
          {DEMOGRAPHICS.map((d) => (
            <fieldset key={d}>
              <legend>{t(`staff.settings.demographic.${d}`)}</legend>
              {DEMOGRAPHIC_CODES[d].map((code) => (
                <Field
                  key={code}
                  name={`references.${d}.${code}`}
                  label={t("staff.settings.shareOf", { answer: answerLabel(d, code, lang) })}
                  value={v[`references.${d}.${code}`]}
                  errors={errors}
                  type="text"
                />
              ))}
            </fieldset>
          ))}
          {field("referenceSource", t("staff.settings.referenceSource"))}
        </fieldset>
        <fieldset>
          <legend>{t("staff.settings.links")}</legend>
          <p className="help">{t("staff.settings.linksHelp")}</p>
          {Array.from({ length: FOOTER_LINKS }, (_, i) => (
            <fieldset key={i}>
              <legend>{t("staff.settings.link", { n: i + 1 })}</legend>
              {field(`links[${i}].fr`, t("staff.settings.linkLabelFr"), { lang: "fr" })}
              {field(`links[${i}].en`, t("staff.settings.linkLabelEn"), { lang: "en" })}
              {field(`links[${i}].url`, t("staff.settings.web"), { type: "url", help: t("staff.settings.httpsHelp") })}
            </fieldset>
          ))}
        </fieldset>
        <button type="submit" className="primary">
          {t("staff.settings.save")}
        </button>
      </form>
      <h2>{t("staff.settings.mailTitle")}</h2>
      <p>{mail ? t("staff.settings.mailOn") : t("staff.settings.mailOff")}</p>
      <p>
        <a href={urls.staff.mail(lang)}>{t("staff.settings.outboxLink")}</a>
      </p>
      <h2>{t("staff.settings.smsTitle")}</h2>
      <p>{sms.provider ? t("staff.settings.smsOn", { provider: sms.provider, number: sms.number ?? t("staff.sms.noNumber") }) : t("staff.settings.smsOff")}</p>
    </>
  );
}
