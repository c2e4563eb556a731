/** Participation as officials watch it: answers per day (a paper form on the day it was received) and channel, and how many answered each question. Aggregated in SQL. */
import { count, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client";
import { answers, CHANNELS, responses, type Channel } from "#db/schema";

export interface Participation {
  total: number;
  byChannel: Record<Channel, number>;
  byDay: ({ day: string } & Record<Channel, number>)[];
  byQuestion: Record<string, number>;
}

export async function participation(db: DbOrTx, consultationId: string, timeZone: string): Promise<Participation> {
  // A paper form counts on the day the town hall received it, not the day it was typed in.
  const day = sql<string>`coalesce(to_char(${responses.paperReceivedOn}, 'YYYY-MM-DD'), to_char(${responses.receivedAt} at time zone ${timeZone}, 'YYYY-MM-DD'))`;
  const rows = await db
    .select({ day, channel: responses.channel, n: count() })
    .from(responses)
    .where(eq(responses.consultationId, consultationId))
    .groupBy(sql`1`, sql`2`)
    .orderBy(sql`1`);
  const perQuestion = await db
    .select({ questionId: answers.questionId, n: count() })
    .from(answers)
    .innerJoin(responses, eq(answers.responseId, responses.id))
    .where(eq(responses.consultationId, consultationId))
    .groupBy(answers.questionId);
  const none = (): Record<Channel, number> => Object.fromEntries(CHANNELS.map((ch) => [ch, 0])) as Record<Channel, number>;
  const byChannel = none();
  const days = new Map<string, Participation["byDay"][number]>();
  for (const r of rows) {
    byChannel[r.channel] += r.n;
    const d = days.get(r.day) ?? { day: r.day, ...none() };
    d[r.channel] += r.n;
    days.set(r.day, d);
  }
  return {
    total: CHANNELS.reduce((sum, ch) => sum + byChannel[ch], 0),
    byChannel,
    byDay: [...days.values()],
    byQuestion: Object.fromEntries(perQuestion.map((q) => [q.questionId, q.n])),
  };
}
