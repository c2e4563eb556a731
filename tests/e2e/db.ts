/**
 * Direct reads of the e2e server's database, possible when it is PostgreSQL
 * (DATABASE_URL, as in CI). PGlite serves one process only, so on the embedded
 * database these return null and tests fall back to what the app itself shows.
 */
import postgres from "postgres";

export async function responsesWithSubmissionId(submissionId: string): Promise<{ channel: string }[] | null> {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await sql<{ channel: string }[]>`select channel from responses where submission_id = ${submissionId}`;
  } finally {
    await sql.end();
  }
}
