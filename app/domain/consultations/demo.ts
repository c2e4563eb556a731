/**
 * The demo consultation a fresh database is seeded with: a municipality asks
 * its residents about sensors in its market square. One question of each kind.
 * Its French is written as it is printed: a no-break space before `:` (U+00A0) and a narrow one
 * before `;` `?` `!` (U+202F), as Quorum's own French gets from app/i18n/typography.ts.
 */
import type { ConsultationSpec } from "./types";

export const DEMO_SLUG = "capteurs-place-du-marche";

/** The word residents text to answer the demo by SMS. */
export const DEMO_SMS_KEYWORD = "AIR";

export function demoConsultation(now = new Date()): ConsultationSpec {
  const closesAt = new Date(now.getTime() + 60 * 24 * 3600 * 1000);
  closesAt.setUTCHours(22, 0, 0, 0);
  return {
    slug: DEMO_SLUG,
    status: "open",
    mode: "open",
    opensAt: new Date(now.getTime() - 24 * 3600 * 1000),
    closesAt,
    texts: {
      fr: {
        title: "Des capteurs sur la place du Marché\u202f?",
        summary:
          "La commune envisage trois capteurs sur la place du Marché pour compter les passants et mesurer la qualité de l’air et le bruit. Donnez votre avis avant la décision.",
        body: "Le conseil municipal étudie l’installation de trois capteurs sur la place du Marché pendant un an, à titre d’essai.\n\nLe premier compterait les passants (sans caméra\u00a0: un capteur infrarouge qui ne voit que des silhouettes). Le deuxième mesurerait les particules fines et le dioxyde d’azote. Le troisième mesurerait le niveau sonore en décibels, sans enregistrer aucun son.\n\nLes résultats serviraient à adapter les horaires du marché, à prévenir lors des pics de pollution et à décider où planter des arbres et poser des bancs. Rien n’est décidé\u00a0: vos réponses seront présentées au conseil avant le vote.",
        dataCollected:
          "Un nombre de passants par quart d’heure\u202f; des concentrations de particules fines (PM2,5, PM10) et de dioxyde d’azote\u202f; un niveau sonore moyen en décibels. Aucune image, aucun son enregistré, aucun identifiant de téléphone.",
        dataPurpose:
          "Adapter les horaires du marché et la circulation, alerter les habitants lors des pics de pollution, choisir l’emplacement d’arbres et de bancs.",
        dataRetention: "Les mesures détaillées sont conservées 30 jours, puis seules les moyennes journalières sont gardées, pendant 5 ans.",
        dataAccess: "Les services techniques de la commune. Les moyennes journalières sont publiées en données ouvertes, pour tout le monde.",
        dataLocation: "Sur trois lampadaires existants\u00a0: devant la mairie, à l’angle de la rue des Halles et près de l’arrêt de bus.",
      },
      en: {
        title: "Sensors in the Market Square?",
        summary:
          "The municipality is considering three sensors in the Market Square to count passers-by and measure air quality and noise. Tell us what you think before the decision.",
        body: "The town council is considering installing three sensors in the Market Square for a one-year trial.\n\nThe first would count passers-by (no camera: an infrared sensor that only sees shapes). The second would measure fine particles and nitrogen dioxide. The third would measure noise levels in decibels, without recording any sound.\n\nThe results would be used to adjust market hours, warn residents of pollution peaks, and decide where to plant trees and put benches. Nothing has been decided: your answers will be presented to the council before the vote.",
        dataCollected:
          "A count of passers-by per quarter hour; concentrations of fine particles (PM2.5, PM10) and nitrogen dioxide; an average noise level in decibels. No images, no recorded sound, no phone identifiers.",
        dataPurpose: "Adjusting market hours and traffic, alerting residents during pollution peaks, choosing where to place trees and benches.",
        dataRetention: "Detailed measurements are kept for 30 days; after that only daily averages are kept, for 5 years.",
        dataAccess: "The municipality's technical services. Daily averages are published as open data, for everyone.",
        dataLocation: "On three existing street lamps: in front of the town hall, at the corner of Rue des Halles, and near the bus stop.",
      },
    },
    questions: [
      {
        code: "support",
        kind: "scale",
        required: true,
        texts: {
          fr: {
            prompt: "Dans l’ensemble, êtes-vous favorable à ces capteurs\u202f?",
            help: "1 = pas du tout favorable, 5 = tout à fait favorable.",
            scaleLow: "Pas du tout favorable",
            scaleHigh: "Tout à fait favorable",
          },
          en: {
            prompt: "Overall, are you in favour of these sensors?",
            help: "1 = not at all in favour, 5 = fully in favour.",
            scaleLow: "Not at all in favour",
            scaleHigh: "Fully in favour",
          },
        },
      },
      {
        code: "measures",
        kind: "multiple",
        required: true,
        minChoices: 1,
        maxChoices: 3,
        allowOther: true,
        texts: {
          fr: { prompt: "Quelles mesures vous semblent utiles\u202f?", help: "" },
          en: { prompt: "Which measurements seem useful to you?", help: "" },
        },
        options: [
          { code: "footfall", labels: { fr: "Le nombre de passants", en: "The number of passers-by" } },
          { code: "air", labels: { fr: "La qualité de l’air", en: "Air quality" } },
          { code: "noise", labels: { fr: "Le bruit", en: "Noise" } },
          { code: "none", labels: { fr: "Aucune", en: "None" } },
        ],
      },
      {
        code: "retention",
        kind: "single",
        required: true,
        allowOther: true,
        texts: {
          fr: {
            prompt: "Combien de temps garder les mesures détaillées\u202f?",
            help: "Après ce délai, seules les moyennes journalières seraient gardées.",
          },
          en: {
            prompt: "How long should detailed measurements be kept?",
            help: "After that, only daily averages would be kept.",
          },
        },
        options: [
          { code: "1d", labels: { fr: "24 heures", en: "24 hours" } },
          { code: "30d", labels: { fr: "30 jours", en: "30 days" } },
          { code: "1y", labels: { fr: "Un an", en: "One year" } },
        ],
      },
      {
        code: "priorities",
        kind: "ranking",
        texts: {
          fr: {
            prompt: "Classez ces usages des données, du plus important (1) au moins important (4).",
            help: "Donnez un rang différent à chaque usage.",
          },
          en: {
            prompt: "Rank these uses of the data, from most important (1) to least important (4).",
            help: "Give each use a different rank.",
          },
        },
        options: [
          { code: "hours", labels: { fr: "Adapter les horaires du marché", en: "Adjust market hours" } },
          { code: "alerts", labels: { fr: "Alerter lors des pics de pollution", en: "Alert during pollution peaks" } },
          { code: "trees", labels: { fr: "Placer arbres et bancs", en: "Place trees and benches" } },
          { code: "opendata", labels: { fr: "Publier des données ouvertes", en: "Publish open data" } },
        ],
      },
      {
        code: "elsewhere",
        kind: "short_text",
        maxLength: 200,
        texts: {
          fr: { prompt: "Où d’autre un capteur vous semblerait-il utile\u202f?", help: "" },
          en: { prompt: "Where else would a sensor seem useful to you?", help: "" },
        },
      },
      {
        code: "comments",
        kind: "long_text",
        maxLength: 2000,
        texts: {
          fr: { prompt: "Avez-vous des inquiétudes ou des suggestions\u202f?", help: "" },
          en: { prompt: "Do you have any concerns or suggestions?", help: "" },
        },
      },
      {
        code: "area",
        kind: "single",
        demographic: "area",
        texts: {
          fr: { prompt: "Où habitez-vous\u202f?", help: "" },
          en: { prompt: "Where do you live?", help: "" },
        },
        options: [
          { code: "rural", labels: { fr: "À la campagne", en: "In the countryside" } },
          { code: "suburban", labels: { fr: "En périphérie", en: "On the outskirts" } },
          { code: "urban", labels: { fr: "En centre-ville", en: "In the town centre" } },
        ],
      },
      {
        code: "age",
        kind: "single",
        demographic: "age",
        texts: {
          fr: { prompt: "Quel âge avez-vous\u202f?", help: "" },
          en: { prompt: "How old are you?", help: "" },
        },
        options: [
          { code: "u18", labels: { fr: "Moins de 18 ans", en: "Under 18" } },
          { code: "18-34", labels: { fr: "18 à 34 ans", en: "18 to 34" } },
          { code: "35-54", labels: { fr: "35 à 54 ans", en: "35 to 54" } },
          { code: "55-74", labels: { fr: "55 à 74 ans", en: "55 to 74" } },
          { code: "75+", labels: { fr: "75 ans et plus", en: "75 and over" } },
        ],
      },
      {
        code: "language",
        kind: "single",
        demographic: "language",
        texts: {
          fr: { prompt: "Quelle langue préférez-vous\u202f?", help: "" },
          en: { prompt: "Which language do you prefer?", help: "" },
        },
        options: [
          { code: "fr", labels: { fr: "Français", en: "French" } },
          { code: "en", labels: { fr: "Anglais", en: "English" } },
          { code: "both", labels: { fr: "Les deux", en: "Both" } },
        ],
      },
    ],
  };
}
