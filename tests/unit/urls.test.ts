/**
 * app/urls.ts and remix.config.js's route table describe the same addresses from two sides:
 * every builder's output is matched, as Remix matches it, by the route it is meant for (never by
 * the "not found" catch-all), and every route of the table has a builder. A route added without
 * a builder, or a builder that drifts from its route, fails here.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  answerTarget,
  isStaffPath,
  keptOffline,
  loggablePath,
  offlinePath,
  offlineSavedPath,
  PAGE_SCRIPT_FILE,
  receiptPath,
  residentPage,
  resultsPage,
  SERVICE_WORKER_FILE,
  swapLangInPath,
  urls,
  type PageLang,
} from "~/urls";
import { routeFor, routeTree } from "../helpers/routes";

const SLUG = "capteurs-place-du-marche";
const RECEIPT = "K7M3-9QXF";
const TOKEN = "tok3n_with-safe.chars";
const BATCH = "0b5c8f3e-6a1d-4c2e-9f7a-1d2e3f4a5b6c";

// ---- Every builder, with the route it addresses and examples of what it builds ----------------

type Example = { route: string; paths: (lang: PageLang) => string[] };
const S = "routes/staff/";
const C = "routes/staff/consultations/";
const R = "routes/resident/";

/** Keyed by the builder's name in `urls`; every builder must be here (checked below). */
const BUILDERS: Record<string, Example> = {
  languageChoice: { route: "routes/system/language-choice.tsx", paths: () => [urls.languageChoice()] },
  healthz: { route: "routes/system/healthz.ts", paths: () => [urls.healthz()] },
  "sms.twilio": { route: "routes/sms/twilio.ts", paths: () => [urls.sms.twilio()] },
  "sms.gateway": { route: "routes/sms/gateway.ts", paths: () => [urls.sms.gateway()] },
  logo: { route: "routes/system/logo.ts", paths: () => [urls.logo("0123456789abcdef0123456789abcdef.png")] },

  home: { route: `${R}home.tsx`, paths: (l) => [urls.home(l)] },
  consultation: { route: `${R}consultation.tsx`, paths: (l) => [urls.consultation(l, SLUG)] },
  thanks: { route: `${R}thanks.tsx`, paths: (l) => [urls.thanks(l, SLUG, "K7M39QXF")] },
  results: { route: `${R}results.tsx`, paths: (l) => [urls.results(l, SLUG)] },
  notify: { route: `${R}notify.tsx`, paths: (l) => [urls.notify(l, SLUG), urls.notify(l, SLUG, { asked: 1 })] },
  short: { route: `${R}short-address.tsx`, paths: (l) => [urls.short(l, "K7M3QX")] },
  receipts: { route: `${R}receipts.tsx`, paths: (l) => [urls.receipts(l)] },
  receipt: { route: `${R}receipt.tsx`, paths: (l) => [urls.receipt(l, RECEIPT)] },
  notifyConfirm: { route: `${R}notify-confirm.tsx`, paths: (l) => [urls.notifyConfirm(l, TOKEN)] },
  notifyStop: { route: `${R}notify-stop.tsx`, paths: (l) => [urls.notifyStop(l, TOKEN)] },
  offline: { route: `${R}offline.tsx`, paths: (l) => [urls.offline(l)] },
  offlineSaved: { route: `${R}offline-saved.tsx`, paths: (l) => [urls.offlineSaved(l)] },
  manifest: { route: `${R}manifest.ts`, paths: (l) => [urls.manifest(l)] },
  privacy: { route: `${R}privacy.tsx`, paths: (l) => [urls.privacy(l), urls.privacy(l, { hash: "notify" })] },
  accessibility: { route: `${R}accessibility.tsx`, paths: (l) => [urls.accessibility(l)] },

  "openData.list": { route: "routes/open-data/list.tsx", paths: (l) => [urls.openData.list(l)] },
  "openData.csv": { route: "routes/open-data/file.ts", paths: () => [urls.openData.csv(SLUG)] },
  "openData.json": { route: "routes/open-data/file.ts", paths: () => [urls.openData.json(SLUG)] },
  "openData.datapackage": { route: "routes/open-data/datapackage.ts", paths: () => [urls.openData.datapackage(SLUG)] },
  "openData.catalog": { route: "routes/open-data/catalog.ts", paths: () => [urls.openData.catalog()] },

  "staff.home": { route: `${S}home.tsx`, paths: (l) => [urls.staff.home(l), urls.staff.home(l, { done: "deleted" })] },
  "staff.login": { route: `${S}account/login.tsx`, paths: (l) => [urls.staff.login(l), urls.staff.login(l, { next: `/${l}/staff/users?x=1` })] },
  "staff.logout": { route: `${S}account/logout.tsx`, paths: (l) => [urls.staff.logout(l)] },
  "staff.forgot": { route: `${S}account/forgot.tsx`, paths: (l) => [urls.staff.forgot(l), urls.staff.forgot(l, { sent: 1 })] },
  "staff.reset": { route: `${S}account/reset.tsx`, paths: (l) => [urls.staff.reset(l, TOKEN)] },
  "staff.invitation": { route: `${S}account/invitation.tsx`, paths: (l) => [urls.staff.invitation(l, TOKEN)] },
  "staff.password": { route: `${S}account/password.tsx`, paths: (l) => [urls.staff.password(l), urls.staff.password(l, { done: "password" })] },
  "staff.settings": { route: `${S}admin/settings.tsx`, paths: (l) => [urls.staff.settings(l), urls.staff.settings(l, { done: "settings" })] },
  "staff.users": { route: `${S}admin/users.tsx`, paths: (l) => [urls.staff.users(l), urls.staff.users(l, { done: "role" })] },
  "staff.mail": { route: `${S}admin/mail.tsx`, paths: (l) => [urls.staff.mail(l), urls.staff.mail(l, { done: "retry" })] },
  "staff.audit": { route: `${S}admin/audit.tsx`, paths: (l) => [urls.staff.audit(l)] },
  "staff.auditCsv": {
    route: `${S}admin/audit-csv.ts`,
    paths: (l) => [urls.staff.auditCsv(l), urls.staff.auditCsv(l, new URLSearchParams("days=7"), { format: "fr" })],
  },

  "staff.newConsultation": { route: `${C}new.tsx`, paths: (l) => [urls.staff.newConsultation(l)] },
  "staff.consultation": { route: `${C}overview.tsx`, paths: (l) => [urls.staff.consultation(l, SLUG), urls.staff.consultation(l, SLUG, { done: "saved" })] },
  "staff.edit": { route: `${C}edit.tsx`, paths: (l) => [urls.staff.edit(l, SLUG)] },
  "staff.confirm": { route: `${C}confirm.tsx`, paths: (l) => [urls.staff.confirm(l, SLUG, { intent: "close" })] },
  "staff.delete": { route: `${C}delete.tsx`, paths: (l) => [urls.staff.delete(l, SLUG)] },
  "staff.duplicate": { route: `${C}duplicate.tsx`, paths: (l) => [urls.staff.duplicate(l, SLUG), urls.staff.duplicate(l, SLUG, { hash: "errors" })] },
  "staff.preview": { route: `${C}preview.tsx`, paths: (l) => [urls.staff.preview(l, SLUG, { as: "en" })] },
  "staff.outcome": { route: `${C}outcome.tsx`, paths: (l) => [urls.staff.outcome(l, SLUG, { done: "outcome-save" })] },
  "staff.questionnaire": { route: `${C}questionnaire.tsx`, paths: (l) => [urls.staff.questionnaire(l, SLUG, { as: "fr", paper: "a4" })] },
  "staff.questions": { route: `${C}questions.tsx`, paths: (l) => [urls.staff.questions(l, SLUG, { done: "saved", q: BATCH, hash: `q-${BATCH}` })] },
  "staff.references": { route: `${C}references.tsx`, paths: (l) => [urls.staff.references(l, SLUG, { done: "saved" })] },
  "staff.codes": { route: `${C}codes.tsx`, paths: (l) => [urls.staff.codes(l, SLUG), urls.staff.codes(l, SLUG, { cancelled: 12 })] },
  "staff.codesBatch": { route: `${C}codes-batch.tsx`, paths: (l) => [urls.staff.codesBatch(l, SLUG, BATCH, { made: 1 })] },
  "staff.sms": { route: `${C}sms.tsx`, paths: (l) => [urls.staff.sms(l, SLUG, { done: "sms" })] },
  "staff.paper": { route: `${C}paper.tsx`, paths: (l) => [urls.staff.paper(l, SLUG, { as: "en", done: "grace" })] },
  "staff.summary": { route: `${C}summary.tsx`, paths: (l) => [urls.staff.summary(l, SLUG, { breakdown: "area" })] },
  "staff.summaryCss": { route: `${C}summary-css.ts`, paths: (l) => [urls.staff.summaryCss(l, SLUG, { at: "2026-12-01T10:00:00.000Z" })] },
  "staff.summaryCsv": { route: `${C}summary-csv.ts`, paths: (l) => [urls.staff.summaryCsv(l, SLUG, { breakdown: "area", format: "fr" })] },
  "staff.moderation": { route: `${C}moderation.tsx`, paths: (l) => [urls.staff.moderation(l, SLUG, { state: "hidden", page: 2 })] },
  "staff.themes": { route: `${C}themes.tsx`, paths: (l) => [urls.staff.themes(l, SLUG, { q: "air", done: "themes-tag" })] },
  "staff.exportCsv": { route: `${C}export-csv.ts`, paths: (l) => [urls.staff.exportCsv(l, SLUG, { format: "fr" })] },
  "staff.exportJson": { route: `${C}export-json.ts`, paths: (l) => [urls.staff.exportJson(l, SLUG)] },
};

/** Routes no builder addresses: the catch-all that answers "not found". */
const UNBUILT = ["routes/resident/not-found.tsx"];

/** The names of every builder in `urls` (functions, nested groups walked), files of public/ aside. */
function builderNames(group: object = urls, prefix = ""): string[] {
  return Object.entries(group).flatMap(([key, value]) => {
    if (prefix === "" && key === "files") return [];
    if (typeof value === "function") return [`${prefix}${key}`];
    return typeof value === "object" && value !== null ? builderNames(value, `${prefix}${key}.`) : [];
  });
}

describe("the builders and the route table", () => {
  it("name the same addresses: every builder has its route, every route its builder", async () => {
    const { leaves } = await routeTree();
    expect(builderNames().sort()).toEqual(Object.keys(BUILDERS).sort());
    const addressed = new Set(Object.values(BUILDERS).map((b) => b.route));
    const routes = leaves.map((r) => r.file).filter((file) => !UNBUILT.includes(file));
    expect(routes.filter((file) => !addressed.has(file))).toEqual([]);
    expect([...addressed].filter((file) => !routes.includes(file))).toEqual([]);
  });

  it.each(Object.entries(BUILDERS))("%s builds addresses that Remix answers with its route", async (_name, { route, paths }) => {
    const { tree } = await routeTree();
    for (const lang of ["fr", "en"] as const) {
      for (const path of paths(lang)) {
        const matched = routeFor(tree, path);
        expect(matched?.file, path).toBe(route);
        // The values put in are the values Remix reads back.
        if (matched?.params.lang !== undefined) expect(matched.params.lang, path).toBe(lang);
        if (matched?.params.slug !== undefined) expect(matched.params.slug, path).toBe(SLUG);
      }
    }
  });
});

describe("query strings and fragments", () => {
  it("come in the order given, encoded by URLSearchParams, the fragment last", () => {
    expect(urls.staff.summaryCsv("fr", SLUG, { breakdown: "area", format: "fr" })).toBe(`/fr/staff/consultations/${SLUG}/summary.csv?breakdown=area&format=fr`);
    expect(urls.staff.paper("en", SLUG, { as: "fr", done: "grace" })).toBe(`/en/staff/consultations/${SLUG}/paper?as=fr&done=grace`);
    expect(urls.staff.paper("en", SLUG, { as: "fr", hash: "errors" })).toBe(`/en/staff/consultations/${SLUG}/paper?as=fr#errors`);
    expect(urls.staff.login("fr", { next: "/fr/staff/users?q=a b&x=1" })).toBe("/fr/staff/login?next=%2Ffr%2Fstaff%2Fusers%3Fq%3Da+b%26x%3D1");
    expect(urls.staff.summaryCss("fr", SLUG, { at: "2026-12-01T10:00:00.000Z" })).toBe(
      `/fr/staff/consultations/${SLUG}/summary.css?at=2026-12-01T10%3A00%3A00.000Z`,
    );
    expect(urls.staff.themes("fr", SLUG, { theme: "t&1", page: 2 })).toBe(`/fr/staff/consultations/${SLUG}/themes?theme=t%261&page=2`);
    expect(urls.privacy("en", { hash: "notify" })).toBe("/en/privacy#notify");
  });

  it("leave out what is undefined or null, and write nothing when nothing is left", () => {
    expect(urls.staff.moderation("fr", SLUG, { state: "visible", question: undefined, page: 1 })).toBe(
      `/fr/staff/consultations/${SLUG}/moderation?state=visible&page=1`,
    );
    expect(urls.staff.codesBatch("fr", SLUG, BATCH, { made: undefined })).toBe(`/fr/staff/consultations/${SLUG}/codes/${BATCH}`);
    expect(urls.staff.summaryCsv("en", SLUG, {})).toBe(`/en/staff/consultations/${SLUG}/summary.csv`);
  });

  it("put a filter's own query string first, then the options", () => {
    const filter = new URLSearchParams("consultation=&actor=a%40example.org&days=7");
    expect(urls.staff.auditCsv("fr", filter)).toBe("/fr/staff/audit.csv?consultation=&actor=a%40example.org&days=7");
    expect(urls.staff.auditCsv("fr", filter, { format: "fr" })).toBe("/fr/staff/audit.csv?consultation=&actor=a%40example.org&days=7&format=fr");
    expect(urls.staff.auditCsv("fr", new URLSearchParams(""), { format: "fr" })).toBe("/fr/staff/audit.csv?format=fr");
  });

  it("encode path segments, so a value can never add a segment", () => {
    expect(urls.staff.invitation("fr", "a/b?c")).toBe("/fr/staff/invitations/a%2Fb%3Fc");
    expect(urls.receipt("fr", RECEIPT)).toBe(`/fr/receipts/${RECEIPT}`);
  });
});

describe("reading addresses back", () => {
  it("knows the pages it built: resident pages, results, answers, staff area, secrets masked in logs", () => {
    expect(residentPage(urls.home("en"))).toEqual({ kind: "list", lang: "en" });
    expect(residentPage(urls.consultation("fr", SLUG))).toEqual({ kind: "consultation", lang: "fr", slug: SLUG });
    expect(answerTarget(urls.consultation("en", SLUG))).toEqual({ lang: "en", slug: SLUG });
    expect(resultsPage(urls.results("fr", SLUG))).toEqual({ lang: "fr", slug: SLUG });
    for (const page of [urls.home("fr"), urls.consultation("fr", SLUG), urls.results("fr", SLUG), urls.privacy("fr"), urls.accessibility("en")])
      expect(keptOffline(page), page).toBe(true);
    expect(keptOffline(urls.receipts("fr"))).toBe(false);

    const staff = Object.keys(BUILDERS).filter((name) => name.startsWith("staff."));
    for (const lang of ["fr", "en"] as const)
      for (const [name, { paths }] of Object.entries(BUILDERS))
        for (const path of paths(lang)) expect(isStaffPath(new URL(path, "http://quorum.invalid").pathname), path).toBe(staff.includes(name));

    for (const secret of [
      urls.staff.invitation("fr", TOKEN),
      urls.staff.reset("en", TOKEN),
      urls.notifyConfirm("fr", TOKEN),
      urls.notifyStop("en", TOKEN),
      urls.thanks("fr", SLUG, "K7M39QXF"),
      urls.receipt("en", RECEIPT),
    ]) {
      expect(loggablePath(secret), secret).toMatch(/…$/);
      expect(loggablePath(secret)).not.toContain(TOKEN);
    }
  });

  it("swaps the language prefix and keeps the rest of the address", () => {
    expect(swapLangInPath("/fr/consultations/a?x=1", "en")).toBe("/en/consultations/a?x=1");
    expect(swapLangInPath("/en", "fr")).toBe("/fr");
    expect(swapLangInPath("/english/x", "fr")).toBe("/fr");
  });
});

describe("what the service worker and the page script import by name", () => {
  it("is the very builder of `urls`, and the files of public/ exist", () => {
    expect(urls.offline).toBe(offlinePath);
    expect(urls.offlineSaved).toBe(offlineSavedPath);
    expect(urls.receipt).toBe(receiptPath);
    expect(urls.files.serviceWorker).toBe(SERVICE_WORKER_FILE);
    expect(urls.files.pageScript).toBe(PAGE_SCRIPT_FILE);
    for (const file of [urls.files.favicon, urls.files.icon("icon-192.png"), urls.files.icon("icon-512.png"), urls.files.icon("maskable-512.png")])
      expect(existsSync(`public${file}`), file).toBe(true);
  });
});
