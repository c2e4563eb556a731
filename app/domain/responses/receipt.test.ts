import { describe, expect, it } from "vitest";
import { formatReceipt, normaliseReceipt, RECEIPT_ALPHABET, receiptCodeFor } from "./receipt";
import { receiptCode } from "./receipt.server";

describe("receipt codes", () => {
  it("follow from the submission id alone", async () => {
    const id = "6f1c2a0e-4b7d-4c1e-9a2b-3c4d5e6f7a8b";
    expect(await receiptCodeFor(id)).toBe(await receiptCodeFor(id.toUpperCase()));
    expect(await receiptCodeFor(id)).not.toBe(await receiptCodeFor("6f1c2a0e-4b7d-4c1e-9a2b-3c4d5e6f7a8c"));
  });

  it("never change for a given id (the service worker and the server must agree forever)", async () => {
    expect(await receiptCodeFor("6f1c2a0e-4b7d-4c1e-9a2b-3c4d5e6f7a8b")).toBe("9QNSPEEH");
  });

  it("are the same hashed by the server as by the service worker and the page", async () => {
    expect(receiptCode("6F1C2A0E-4B7D-4C1E-9A2B-3C4D5E6F7A8B")).toBe("9QNSPEEH");
    for (let i = 0; i < 200; i++) {
      const id = crypto.randomUUID();
      expect(receiptCode(id)).toBe(await receiptCodeFor(id));
    }
  });

  it("are 8 characters without look-alikes", async () => {
    expect(RECEIPT_ALPHABET).not.toMatch(/[01OIL]/);
    for (let i = 0; i < 50; i++) {
      const code = await receiptCodeFor(crypto.randomUUID());
      expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    }
  });

  it("are shown grouped and read back however they are typed", () => {
    expect(formatReceipt("K7M39QXF")).toBe("K7M3-9QXF");
    expect(normaliseReceipt("k7m3 9qxf")).toBe("K7M39QXF");
    expect(normaliseReceipt("K7M3-9QXF")).toBe("K7M39QXF");
    expect(normaliseReceipt("K7M3-9QX")).toBeNull();
    expect(normaliseReceipt("K7M3-9QX0")).toBeNull();
    expect(normaliseReceipt("<script>")).toBeNull();
  });
});
