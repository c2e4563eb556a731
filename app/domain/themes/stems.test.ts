import { describe, expect, it } from "vitest";
import { analyse, duplicateKey, highlight, matchKeyword, parseKeywords, prepareKeyword, type StemLang } from "./stems";

const hits = (text: string, keyword: string, lang: StemLang) => {
  const t = analyse(text);
  const m = matchKeyword(t, prepareKeyword(keyword, lang)!);
  return m
    ? highlight(t, m)
        .filter((s) => s.hit)
        .map((s) => s.text)
    : null;
};

describe("keyword matches in French", () => {
  it("a plural matches its singular and the other way round", () => {
    expect(hits("Trop de capteurs dans la rue", "capteur", "fr")).toEqual(["capteurs"]);
    expect(hits("Un capteur suffit", "capteurs", "fr")).toEqual(["capteur"]);
  });
  it("accents are not needed on either side", () => {
    expect(hits("Les cameras me gênent", "caméra", "fr")).toEqual(["cameras"]);
    expect(hits("Ma vie privee compte", "vie privée", "fr")).toEqual(["vie", "privee"]);
    expect(hits("La sécurité d’abord", "securite", "fr")).toEqual(["sécurité"]);
  });
  it("an elided article does not hide the word: l'air and l’air match air", () => {
    expect(hits("La qualité de l'air est mauvaise", "air", "fr")).toEqual(["air"]);
    expect(hits("La qualité de l’air est mauvaise", "air", "fr")).toEqual(["air"]);
    expect(hits("L'éclairage public la nuit", "éclairages", "fr")).toEqual(["éclairage"]);
  });
  it("a word that only begins like the keyword does not match", () => {
    expect(hits("Un bon airbag", "air", "fr")).toBeNull();
    expect(hits("Rien à voir", "capteur", "fr")).toBeNull();
  });
  it("a keyword of several words needs all of them", () => {
    expect(hits("La vie est belle", "vie privée", "fr")).toBeNull();
  });
});

describe("keyword matches in English", () => {
  it("plurals and endings match", () => {
    expect(hits("Too many sensors on my street", "sensor", "en")).toEqual(["sensors"]);
    expect(hits("Street lighting at night", "lights", "en")).toEqual(["lighting"]);
    expect(hits("I worry about PRIVACY", "privacy", "en")).toEqual(["PRIVACY"]);
  });
  it("no match, no suggestion", () => {
    expect(hits("Benches and trees", "sensor", "en")).toBeNull();
  });
});

describe("highlighting and near-duplicates", () => {
  it("the highlighted pieces put together give back the text", () => {
    const t = analyse("Moins de caméras, plus d’arbres !");
    const m = matchKeyword(t, prepareKeyword("camera", "fr")!)!;
    const pieces = highlight(t, m);
    expect(pieces.map((p) => p.text).join("")).toBe("Moins de caméras, plus d’arbres !");
    expect(pieces.filter((p) => p.hit)).toEqual([{ text: "caméras", hit: true }]);
  });
  it("texts with the same stems are near-duplicates, others are not", () => {
    expect(duplicateKey(analyse("Trop de caméras !"))).toBe(duplicateKey(analyse("trop de CAMERA")));
    expect(duplicateKey(analyse("Trop de caméras"))).not.toBe(duplicateKey(analyse("Pas assez de caméras")));
  });
  it("keywords are read from commas and lines, without repeats", () => {
    expect(parseKeywords("capteur, Capteur\n  vie   privée ;air,,")).toEqual(["capteur", "vie privée", "air"]);
  });
});
