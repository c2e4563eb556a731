import { expect, test, type Page } from "@playwright/test";
import { receiptCodeFor } from "../../app/domain/responses/receipt";
import { responsesWithSubmissionId } from "./db";
import { cutServiceWorker, deviceHolds, goOffline, goOnline, openOnce, savedOnDevice } from "./device";
import { answerDemo, E2E, signIn } from "./fixtures";

// Each test gets its own browser context, hence its own service worker and queue.
test.describe.configure({ mode: "serial" });

/** How many answers the service worker still holds, asked the way the page script asks. */
function pendingOnDevice(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve((e.data as { pending: unknown[] }).pending.length);
        navigator.serviceWorker.controller!.postMessage({ type: "status" }, [channel.port2]);
      }),
  );
}

async function submitOffline(page: Page, lang: "fr" | "en") {
  const submissionId = await page.locator("input[name=submission_id]").inputValue();
  await answerDemo(page, lang);
  await page.getByRole("button", { name: lang === "fr" ? "Envoyer mes réponses" : "Send my answers" }).click();
  const receipt = await receiptCodeFor(submissionId);
  return { submissionId, receipt: `${receipt.slice(0, 4)}-${receipt.slice(4)}` };
}

async function expectCounted(page: Page, lang: "fr" | "en", receipt: string) {
  await expect.poll(async () => (await page.request.get(`/${lang}/receipts/${receipt}`)).status(), { timeout: 30_000 }).toBe(200);
}

async function expectStoredOnce(submissionId: string) {
  const rows = await responsesWithSubmissionId(submissionId);
  if (rows) expect(rows).toEqual([{ channel: "offline" }]);
}

const consultation = `/fr/consultations/${E2E.offlineSlug}`;

test("a consultation opened once, without a reload, can be read and answered offline; the answer arrives once when back online", async ({ page, context }) => {
  await openOnce(page, consultation);
  await goOffline(context);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Des capteurs sur la place du Marché");

  const { submissionId, receipt } = await submitOffline(page, "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Votre réponse est enregistrée sur cet appareil");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);
  expect((await page.request.get(`/fr/receipts/${receipt}`)).status()).toBe(404); // not arrived yet

  // While it waits, resident pages say so, in words.
  await page.goto(consultation);
  await expect(page.getByRole("status")).toContainText("1 réponse est enregistrée sur cet appareil");
  await expect(page.getByRole("status")).toContainText(receipt);

  // A page never visited shows the offline page in its language; in a language this device never
  // visited, in the one it did (the worker installs only the visitor's language).
  await page.goto("/fr/receipts");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");
  await page.goto("/en/receipts");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");

  await goOnline(context); // the open page hears `online` and asks the worker to send
  await expect(page.getByRole("status")).toContainText(`Bonne nouvelle : votre réponse ${receipt}`, { timeout: 30_000 });
  await expectCounted(page, "fr", receipt);
  await expectStoredOnce(submissionId);
  // The good news is told once.
  await page.goto(consultation);
  await expect(page.getByRole("status")).toBeHidden();
});

test("on a first visit, before the worker controls the page, an answer sent without a connection is kept by the page and arrives once", async ({
  page,
  context,
}) => {
  // On 2G the worker arrives seconds after the page: here its registration waits until the resident is offline.
  await context.addInitScript(() => {
    const proto = ServiceWorkerContainer.prototype;
    const register = proto.register;
    const held = new Promise<void>((resolve) => Object.assign(window, { releaseWorker: resolve }));
    proto.register = function (url: string | URL, options?: RegistrationOptions) {
      return held.then(() => register.call(this, url, options));
    };
  });
  await page.goto(consultation); // the link, opened once
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
  await goOffline(context);

  const { submissionId, receipt } = await submitOffline(page, "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Votre réponse est enregistrée sur cet appareil");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await expect(page.locator(".receipt-code")).toHaveText(receipt);
  await expect(page).toHaveTitle(/^Votre réponse est enregistrée sur cet appareil – /);
  expect((await page.request.get(`/fr/receipts/${receipt}`)).status()).toBe(404); // not arrived yet

  await goOnline(context);
  await page.evaluate(() => (window as unknown as { releaseWorker: () => void }).releaseWorker()); // the worker comes, takes the answer the page kept, delivers it
  await expect(page.getByRole("status")).toContainText(`votre réponse ${receipt}, enregistrée sur cet appareil, a bien été reçue`, { timeout: 30_000 });
  await expectCounted(page, "fr", receipt);
  await expectStoredOnce(submissionId);
  expect(await deviceHolds(page, "Gardez peu les détails")).toEqual([]);
});

test("when the worker cannot install, the page that kept an answer sends it itself once back online, counted once", async ({ page, context }) => {
  // The link drops whenever the worker tries to install: it never comes on this visit.
  await context.addInitScript(() => {
    ServiceWorkerContainer.prototype.register = () => new Promise<ServiceWorkerRegistration>(() => {});
  });
  await page.goto(consultation);
  await goOffline(context);
  const { submissionId, receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);

  await goOnline(context); // the page stays open; no worker ever controls it
  await expect(page.getByRole("status")).toContainText(`votre réponse ${receipt}, enregistrée sur cet appareil, a bien été reçue`, { timeout: 30_000 });
  await expectCounted(page, "fr", receipt);
  await expectStoredOnce(submissionId);
  expect(await deviceHolds(page, "Gardez peu les détails")).toEqual([]);
  // Opened again, the page has nothing left to send and says nothing is waiting.
  await page.reload();
  await expect(page.getByRole("status")).toBeHidden();
  await expectStoredOnce(submissionId);
});

test("before the worker controls the page, an answer with mistakes lands on its errors, as typed, and then on its thank-you page", async ({
  page,
  context,
}) => {
  await context.route("**/sw.js*", (route) => route.abort("internetdisconnected")); // a worker that could not install
  await page.goto(consultation);
  await page.getByLabel("Où d’autre").fill("Près de la mairie");
  await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
  await expect(page).toHaveURL(new RegExp(`${consultation}#errors$`));
  await expect(page).toHaveTitle(/^Erreur/);
  await expect(page.locator("#errors")).toBeFocused();
  await expect(page.getByLabel("Où d’autre")).toHaveValue("Près de la mairie");
  const submissionId = await page.locator("input[name=submission_id]").inputValue();
  await answerDemo(page, "fr");
  await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
  const receipt = await receiptCodeFor(submissionId);
  await expect(page).toHaveURL(new RegExp(`/thanks/${receipt}#main$`));
  await expect(page.getByText(`${receipt.slice(0, 4)}-${receipt.slice(4)}`)).toBeVisible();
  const rows = await responsesWithSubmissionId(submissionId);
  if (rows) expect(rows).toEqual([{ channel: "web" }]);
});

test("without Background Sync, answers go when the connection returns; two people on one device give two answers", async ({ page, context }) => {
  // As in Firefox, Safari and WebViews: the worker is told to use the fallback.
  await context.addInitScript(() => {
    const proto = ServiceWorkerContainer.prototype;
    const register = proto.register;
    proto.register = function (url: string | URL, options?: RegistrationOptions) {
      return register.call(this, `${url}?nosync=1`, options);
    };
  });
  await openOnce(page, consultation.replace("/fr/", "/en/"));
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toContain("nosync=1");
  await goOffline(context);

  await page.reload();
  const first = await submitOffline(page, "en");
  await expect(page.locator(".receipt-code")).toHaveText(first.receipt);
  await page.goto(consultation.replace("/fr/", "/en/"));
  const second = await submitOffline(page, "en");
  expect(second.submissionId).not.toBe(first.submissionId);
  await expect(page.locator(".receipt-code")).toHaveText(second.receipt);
  await page.goto(consultation.replace("/fr/", "/en/"));
  await expect(page.getByRole("status")).toContainText("2 answers are saved on this device");

  await goOnline(context); // the page hears `online` and asks the worker to send
  await expectCounted(page, "en", first.receipt);
  await expectCounted(page, "en", second.receipt);
  await expectStoredOnce(first.submissionId);
  await expectStoredOnce(second.submissionId);
});

test("the received notice stays on the page when a new version of the site arrives meanwhile", async ({ page, context, request }) => {
  await openOnce(page, consultation);
  await goOffline(context);
  await page.reload();
  const { receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);
  await page.goto(consultation); // the saved copy, offline

  await goOnline(context); // the page hears `online`, the worker delivers, the notice says so
  const notice = page.getByRole("status");
  await expect(notice).toContainText(`votre réponse ${receipt}, enregistrée sur cet appareil, a bien été reçue`, { timeout: 30_000 });

  // A deploy: the next build's worker takes over the page, as it does after an update.
  const worker = await (await request.get("/sw.js")).text();
  await context.route("**/sw.js?build=received", (route) => route.fulfill({ contentType: "text/javascript", body: `${worker}\n// next build` }));
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.register("/sw.js?build=received", { scope: "/" });
    await new Promise<void>((resolve) => {
      const active = () => reg.active?.scriptURL.endsWith("build=received");
      if (active()) return resolve();
      navigator.serviceWorker.addEventListener("controllerchange", () => active() && resolve());
    });
  });
  // The page asked the new worker for news on `controllerchange`; asked after it, the worker answers
  // that it holds no delivered answer any more (it was shown once). The page keeps the notice.
  const deliveredOnWorker = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (e) => resolve((e.data as { outcomes: { status: string }[] }).outcomes.filter((o) => o.status === "delivered").length);
          navigator.serviceWorker.controller!.postMessage({ type: "status" }, [channel.port2]);
        }),
    );
  expect(await deliveredOnWorker()).toBe(0);
  // A second round trip: the page's own request, sent before ours, has had its answer drawn by now.
  expect(await deliveredOnWorker()).toBe(0);
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(receipt);
});

test("a replay whose acknowledgement was lost is sent again and still stored once", async ({ page, context }) => {
  await openOnce(page, consultation);
  await goOffline(context);
  await page.reload();
  const { submissionId, receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);

  // Back online, but the first delivery's answer never reaches the device.
  let delivered = 0;
  await context.unroute("**", cutServiceWorker);
  await context.route("**", async (route) => {
    if (route.request().serviceWorker() && route.request().method() === "POST" && delivered === 0) {
      delivered++;
      await route.fetch({ maxRedirects: 0 }); // the server stores it…
      return route.abort("connectionreset"); // …and the acknowledgement is lost
    }
    return route.continue();
  });
  await context.setOffline(false); // `online`: the first delivery, whose acknowledgement is lost
  await expect.poll(() => delivered).toBe(1);
  await expectCounted(page, "fr", receipt);
  // The worker replays again (Background Sync, or this page load) and hears it was counted.
  await page.goto(consultation);
  await expect.poll(() => pendingOnDevice(page), { timeout: 30_000 }).toBe(0);
  await expectStoredOnce(submissionId);
});

test("an answer refused on replay is reported by its consultation and why, and nothing of it stays on the device", async ({ page, context, request }) => {
  const url = `/fr/consultations/${E2E.codeSlug}`;
  await openOnce(page, url);
  await goOffline(context);
  await page.reload();
  await page.getByLabel("Code de participation").fill(E2E.codes[3]);
  const { receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);
  // While it waits, the answer is on the device: that is how it gets delivered (while the worker
  // tries to send it, its queue holds it in memory for a moment, hence the poll).
  await expect.poll(() => deviceHolds(page, "Devant l’école")).not.toEqual([]);

  // Meanwhile, the same household code is used from another device.
  const other = await request.post(url, {
    form: { submission_id: crypto.randomUUID(), participation_code: E2E.codes[3], "q.support": "1", "q.measures": "none", "q.retention": "1d" },
    maxRedirects: 0,
  });
  expect(other.status()).toBe(303);

  await goOnline(context);
  await page.goto(url);
  const notice = page.getByRole("status");
  await expect(notice).toContainText(
    new RegExp(
      `Votre réponse ${receipt} à «\\sCodes[^»]*\\s», enregistrée sur cet appareil, n’a pas pu être comptée\\s: le code de participation n’a pas été accepté`,
    ),
    { timeout: 30_000 },
  );
  // The notice names the consultation and why; nothing of what was answered, nowhere to read it back.
  await expect(notice).not.toContainText("Devant l’école");
  await expect(notice.getByRole("link")).toHaveCount(0);
  // The next person on this device: nothing of the answer anywhere the browser keeps things, typed code included.
  expect(await deviceHolds(page, "Devant l’école")).toEqual([]);
  expect(await deviceHolds(page, "Gardez peu les détails")).toEqual([]);
  expect(await deviceHolds(page, E2E.codes[3])).toEqual([]);

  // The notice stays until deleted.
  await page.goto(url);
  await expect(notice).toContainText(receipt, { timeout: 30_000 });
  await notice.getByRole("button", { name: "Supprimer de cet appareil" }).click();
  await expect(notice).toBeHidden();
  expect(await page.evaluate(async () => (await (await caches.open("quorum-outcomes")).keys()).length)).toBe(0);
});

test("a consultation never opened but listed on /fr is answered offline after visiting /fr only", async ({ page, context }) => {
  const listed = `/fr/consultations/${E2E.listedSlug}`;
  await page.goto("/fr");
  const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: /^Listed – / }) });
  await expect(item.getByText("Enregistrée sur cet appareil : disponible sans connexion.")).toBeVisible({ timeout: 20_000 });
  expect(await savedOnDevice(page)).toContain(listed);

  await goOffline(context);
  await page.goto("/fr/receipts"); // never visited: the offline page lists what is saved
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");
  await page.getByRole("link", { name: /^Listed – / }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Listed –");
  const { submissionId, receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);

  await goOnline(context);
  await page.goto("/fr");
  await expectCounted(page, "fr", receipt);
  await expectStoredOnce(submissionId);
});

for (const [how, options, script] of [
  ["the Save-Data header alone", { extraHTTPHeaders: { "Save-Data": "on" } }, null],
  ["navigator.connection alone", {}, () => Object.defineProperty(navigator, "connection", { value: { saveData: true }, configurable: true })],
] as const) {
  test(`with Save-Data said by ${how}, visiting the list saves nothing extra and the worker installs only the visitor's language, once`, async ({
    browser,
    baseURL,
  }) => {
    const context = await browser.newContext({ baseURL, ...options });
    if (script) await context.addInitScript(script);
    /** What the worker asked for, and how many bytes of it came over the network (0 from the browser's cache). */
    const byWorker: Promise<[string, number]>[] = [];
    context.on("requestfinished", (r) => {
      if (r.serviceWorker()) byWorker.push(r.sizes().then((s) => [new URL(r.url()).pathname, s.responseBodySize + s.responseHeadersSize]));
    });
    const page = await context.newPage();
    await page.goto("/fr");
    await expect(page.getByRole("link", { name: /^Listed – / })).toBeVisible();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
    expect(await savedOnDevice(page)).toEqual([]);
    await expect(page.locator("[data-offline-ready]:visible")).toHaveCount(0);
    const fetched = await Promise.all(byWorker);
    // No page of the list, nothing in English, and what the page had already fetched not fetched again.
    expect(fetched.filter(([p]) => p.includes("/consultations/") || p === "/fr" || p.startsWith("/en"))).toEqual([]);
    // Over the network: the worker itself and the French offline pages; the stylesheet, page script and icon from the browser's cache.
    expect(fetched.filter(([, bytes]) => bytes > 0).map(([p]) => p)).toEqual(["/sw.js", "/fr/offline", "/fr/offline/saved"]);
    expect(fetched.map(([p]) => p)).toEqual(expect.arrayContaining(["/quorum.js", "/favicon.svg"]));

    // The French offline pages are there: a page never visited, offline, says so in French.
    await goOffline(context);
    await page.goto("/fr/receipts");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes hors connexion");
    await context.close();
  });
}

test("a saved page of a consultation closed since says so online; the answer given offline is refused, the notice says why and can be deleted", async ({
  page,
  context,
  request,
  baseURL,
}) => {
  const url = `/fr/consultations/${E2E.closingSlug}`;
  await openOnce(page, url);
  await goOffline(context);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Closing –");
  const { receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);
  await page.goto(url); // the saved copy, offline

  await signIn(request, baseURL!, E2E.admin);
  expect(
    (
      await request.post(`/en/staff/consultations/${E2E.closingSlug}`, {
        form: { intent: "close", confirmed: "yes" },
        headers: { Origin: baseURL! },
        maxRedirects: 0,
      })
    ).status(),
  ).toBe(302);

  await goOnline(context);
  await expect(page.getByRole("status")).toContainText("Cette consultation a été close depuis que cette page a été enregistrée sur cet appareil", {
    timeout: 30_000,
  });
  await expect(page.getByRole("status")).toContainText(`Votre réponse ${receipt} à « Closing`, { timeout: 30_000 });
  await expect(page.getByRole("status")).toContainText("n’a pas pu être comptée : la consultation ne prenait plus de réponses quand elle est arrivée.");
  expect((await page.request.get(`/fr/receipts/${receipt}`)).status()).toBe(404);

  await page.getByRole("button", { name: "Supprimer de cet appareil" }).click();
  await expect(page.getByRole("status")).not.toContainText(receipt);
  // The notice leaves the page at the click; the worker forgets it a moment later, for good.
  await expect.poll(() => page.evaluate(async () => (await (await caches.open("quorum-outcomes")).keys()).length)).toBe(0);
});

test("a page saved before a deploy with changed CSS still opens offline, styled, after the worker updates", async ({ page, context, request }) => {
  await openOnce(page, consultation);
  const oldCss = await page.locator('link[rel="stylesheet"]').getAttribute("href");
  expect(oldCss).toMatch(/^\/build\/_assets\/.+\.css$/);

  // The next build: its stylesheet has another hashed name, and its worker precaches that one only.
  const nextCss = "/build/_assets/app-NEXTBUILD.css";
  const worker = (await (await request.get("/sw.js")).text()).split(oldCss!).join(nextCss);
  expect(worker).toContain(nextCss);
  await context.route("**/sw.js?build=next", (route) => route.fulfill({ contentType: "text/javascript", body: worker }));
  await context.route(`**${nextCss}`, (route) => route.fulfill({ contentType: "text/css", body: "html { color: #000; }" }));
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.register("/sw.js?build=next", { scope: "/" });
    await new Promise<void>((resolve) => {
      const active = () => reg.active?.scriptURL.endsWith("build=next");
      if (active()) return resolve();
      navigator.serviceWorker.addEventListener("controllerchange", () => active() && resolve());
    });
  });
  // The new worker dropped the old stylesheet from its precache.
  const inPrecache = (url: string) =>
    page.evaluate(async (u) => {
      for (const name of await caches.keys()) if (name.includes("precache") && (await (await caches.open(name)).match(u))) return true;
      return false;
    }, url);
  await expect.poll(() => inPrecache(nextCss)).toBe(true);
  await expect.poll(() => inPrecache(oldCss!)).toBe(false);

  await goOffline(context);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Des capteurs sur la place du Marché");
  const rules = await page.evaluate((href) => [...document.styleSheets].find((s) => s.href?.endsWith(href))?.cssRules.length ?? 0, oldCss!);
  expect(rules).toBeGreaterThan(10);
  // Styled (`.brand { color: var(--fg) }`, from the page's inline critical CSS), not the browser's link blue.
  expect(await page.locator(".brand").evaluate((el) => getComputedStyle(el).color)).toBe("rgb(27, 27, 27)");
});

/** Chromium's emulation of a 2G link: about 250 kbps down, 50 kbps up, 800 ms round trip. */
async function on2G(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 800, downloadThroughput: 250_000 / 8, uploadThroughput: 50_000 / 8 });
}

test("on 2G, an answer whose request is cut mid-flight arrives exactly once", async ({ page, context }) => {
  const url = `/en/consultations/${E2E.offlineSlug}`;
  await on2G(page);
  await openOnce(page, url);
  // The answer reaches the server, and the connection drops before the answer comes back.
  let cut = 0;
  await context.route("**", async (route) => {
    if (route.request().serviceWorker() && route.request().method() === "POST" && cut === 0) {
      cut++;
      await route.fetch({ maxRedirects: 0 });
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  const { submissionId, receipt } = await submitOffline(page, "en");
  await expect(page.locator(".receipt-code")).toHaveText(receipt); // kept on the device, as far as it knows
  expect(cut).toBe(1);
  await page.goto(url); // the next page load asks the worker to send it again
  await expect.poll(() => pendingOnDevice(page), { timeout: 30_000 }).toBe(0);
  await expectCounted(page, "en", receipt);
  const rows = await responsesWithSubmissionId(submissionId);
  test.skip(rows === null, "counting rows needs DATABASE_URL (PostgreSQL)");
  expect(rows).toHaveLength(1);
});

test("on 2G, an answer sent while the connection flaps arrives exactly once", async ({ page, context }) => {
  const url = `/en/consultations/${E2E.offlineSlug}`;
  await on2G(page);
  await openOnce(page, url);
  await goOffline(context);
  await page.reload();
  const { submissionId, receipt } = await submitOffline(page, "en");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);
  // The signal comes and goes: each return fires `online`, and the page asks the worker to send.
  for (let i = 0; i < 3; i++) {
    await goOnline(context);
    await goOffline(context);
  }
  await goOnline(context);
  await page.goto(url);
  await expect.poll(() => pendingOnDevice(page), { timeout: 30_000 }).toBe(0);
  await expectCounted(page, "en", receipt);
  const rows = await responsesWithSubmissionId(submissionId);
  test.skip(rows === null, "counting rows needs DATABASE_URL (PostgreSQL)");
  expect(rows).toEqual([{ channel: "offline" }]);
});
