import { expect, test, type BrowserContext, type Page, type Route } from "@playwright/test";
import { receiptCodeFor } from "../../app/domain/responses/receipt";
import { responsesWithSubmissionId } from "./db";
import { answerDemo, E2E } from "./fixtures";

// Each test gets its own browser context, hence its own service worker and queue.
test.describe.configure({ mode: "serial" });

const cutServiceWorker = (route: Route) => (route.request().serviceWorker() ? route.abort("internetdisconnected") : route.continue());

async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route("**", cutServiceWorker);
}
async function goOnline(context: BrowserContext) {
  await context.unroute("**", cutServiceWorker);
  await context.setOffline(false);
}

/** Opens a page and waits until the service worker controls it and has cached it. */
async function openWithServiceWorker(page: Page, path: string) {
  await page.goto(path);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload(); // now through the worker, which keeps a copy
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}

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

test("a consultation opened once can be read and answered offline; the answer arrives once when back online", async ({ page, context }) => {
  await openWithServiceWorker(page, consultation);
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

  // A page never visited shows the offline page in the right language.
  await page.goto("/en/receipts");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("You are offline");

  await goOnline(context); // the open page hears `online` and asks the worker to send
  await expect(page.getByRole("status")).toContainText(`Good news: your answer ${receipt}`, { timeout: 30_000 });
  await expectCounted(page, "fr", receipt);
  await expectStoredOnce(submissionId);
  // The good news is told once.
  await page.goto(consultation);
  await expect(page.getByRole("status")).toBeHidden();
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
  await openWithServiceWorker(page, consultation.replace("/fr/", "/en/"));
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

test("a replay whose acknowledgement was lost is sent again and still stored once", async ({ page, context }) => {
  await openWithServiceWorker(page, consultation);
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

test("an answer refused on replay is reported on the next visit, with what was answered", async ({ page, context, request }) => {
  const url = `/fr/consultations/${E2E.codeSlug}`;
  await openWithServiceWorker(page, url);
  await goOffline(context);
  await page.reload();
  await page.getByLabel("Code de participation").fill(E2E.codes[3]);
  const { receipt } = await submitOffline(page, "fr");
  await expect(page.locator(".receipt-code")).toHaveText(receipt);

  // Meanwhile, the same household code is used from another device.
  const other = await request.post(url, {
    form: { submission_id: crypto.randomUUID(), participation_code: E2E.codes[3], "q.support": "1", "q.measures": "none", "q.retention": "1d" },
    maxRedirects: 0,
  });
  expect(other.status()).toBe(303);

  await goOnline(context);
  await page.goto(url);
  await expect(page.getByRole("status")).toContainText(`Votre réponse ${receipt}, enregistrée sur cet appareil, n’a pas pu être comptée`, {
    timeout: 30_000,
  });
  await page.getByRole("link", { name: "Relire ce que vous avez répondu" }).click();
  await expect(page.getByRole("alert")).toContainText("Ce code de participation a déjà été utilisé");
  await expect(page.getByLabel("Où d’autre")).toHaveValue("Devant l’école, rue Haute");
  await expect(page.getByRole("checkbox", { name: "La qualité de l’air" })).toBeChecked();
});
