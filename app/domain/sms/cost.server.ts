/**
 * What answering a consultation by SMS costs a resident, in segments (decision 066): each message
 * Quorum sends, exactly as the conversation writes it (GSM-7 where it can), and what the resident
 * sends — the keyword, the code in code mode, one reply a question, and OUI. Shown to officials
 * per question and in all, in each language, before residents pay for it.
 */
import type { ConsultationView, Lang } from "../consultations/types";
import { conversationTexts, type SmsContext } from "./conversation.server";
import { segmentsOf, toGsm7, type Segments } from "./gsm";

export interface QuestionCost {
  /** Question number, from 1. */
  n: number;
  /** Segments of the message that asks it (the first also carries the introduction). */
  receive: number;
  /** Segments of a typical reply: a number or a list of numbers; a text answer as long as a segment. */
  send: number;
  encoding: Segments["encoding"];
}

export interface SmsCost {
  lang: Lang;
  questions: QuestionCost[];
  /** The recap with "OUI pour envoyer", and the receipt. */
  recap: number;
  receipt: number;
  /** Everything the resident receives, and sends (keyword, code, replies, OUI). */
  receive: number;
  send: number;
  /** Messages that had to be sent as UCS-2 (a character with no GSM-7 writing): each costs more than twice as much. */
  ucs2: number;
}

const cost = (text: string) => segmentsOf(toGsm7(text));

export function smsCost(c: ConsultationView, lang: Lang, ctx: Pick<SmsContext, "link" | "paths">): SmsCost {
  const texts = conversationTexts(c, lang, ctx);
  let ucs2 = 0;
  const count = (text: string) => {
    const s = cost(text);
    if (s.encoding === "UCS-2") ucs2 += 1;
    return s;
  };
  const questions: QuestionCost[] = texts.asks.map((text, i) => {
    const s = count(text);
    const q = c.questions[i];
    // A typed text is as long as the resident makes it: counted as one segment, the usual case.
    const reply = q.kind === "short_text" || q.kind === "long_text" ? 1 : cost(texts.typicalReply[i]).segments;
    return { n: i + 1, receive: s.segments, send: reply, encoding: s.encoding };
  });
  const recap = count(texts.recap).segments;
  const receipt = count(texts.receipt).segments;
  const codeStep = texts.askCode === null ? 0 : count(texts.askCode).segments;
  const receive = codeStep + questions.reduce((sum, q) => sum + q.receive, 0) + recap + receipt;
  // The keyword, the household code in code mode, one reply a question, and OUI.
  const send = 1 + (texts.askCode === null ? 0 : 1) + questions.reduce((sum, q) => sum + q.send, 0) + 1;
  return { lang, questions, recap, receipt, receive, send, ucs2 };
}
