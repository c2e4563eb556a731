/**
 * One set of PostgreSQL connections shared by every commune of the process (decision 062).
 *
 * A commune's handle is a drizzle database over a client that looks like postgres.js to drizzle
 * (and to `statementsOf`): `unsafe` and `begin`. Each statement goes to one of the shared
 * connections; when that connection last served another commune, `set_config('quorum.commune', …)`
 * is queued on it first, with nothing between the two (postgres.js runs a connection's queue in
 * order). Row-level security then shows and takes only that commune's rows (decision 072). So a
 * connection serves any commune, one statement at a time, always as that commune, and the number
 * of connections does not grow with the communes. Changing the setting, unlike changing
 * `search_path`, leaves PostgreSQL's prepared plans valid.
 *
 * A transaction holds its connection (postgres.js reserves it): statements of the same commune
 * issued meanwhile outside it go to another connection, never behind it.
 *
 * Each commune has a home among the connections (its number, modulo their count), which its
 * statements take unless it is held by a transaction or much busier than another (decision 065),
 * so a busy commune's statements mostly find their connection already set to it.
 */
import type { Sql } from "postgres";

interface Connection {
  sql: Sql;
  /** The commune of the last `set_config` queued on it (null: unknown, set again before the next statement). */
  commune: number | null;
  /** Statements queued and not settled. */
  pending: number;
  /** Transactions holding it. */
  inTransaction: number;
}

const ENDED = "The shared connections have been ended.";

/** A statement waiting for a connection (`acquire`). */
interface Waiter {
  id: number;
  transaction: boolean;
  /** Waited WAIT_BEFORE_MORE_MS: may have one more connection opened for it. */
  waitedLong: boolean;
  give: (c: Connection) => void;
  fail: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface SharedPool {
  /** A postgres.js-like client whose statements run as commune `id`. */
  clientFor(id: number): unknown;
  end(): Promise<void>;
  /** For tests and the bench: how many connections, how many changes of commune so far, and how many statements went elsewhere than their commune's home. */
  stats(): { connections: number; switches: number; switchesInFlight: number; awayFromHome: number };
}

/** How many more statements than the least busy connection a commune's home may have queued and still take the next. */
export const HOME_SLACK = 2;

/**
 * How long a statement waits for a connection to settle before one more is opened for it (within
 * three times the pool's size): long enough that answers spread over many communes rarely need one,
 * short enough that no commune waits on another's steady load, or on a lock, for long.
 */
export const WAIT_BEFORE_MORE_MS = 250;

/** A commune's home among `size` connections. */
export function homeOf(id: number, size: number): number {
  return (((id - 1) % size) + size) % size;
}

/**
 * `make(closed)` opens one connection and calls `closed` whenever postgres.js closes it (idle,
 * lifetime, failure): the connection it opens next starts as no commune, so the commune is set
 * again before the next statement.
 */
export function sharedPool(make: (closed: () => void) => Sql, size: number): SharedPool {
  const open = (): Connection => {
    const c: Connection = { sql: undefined as unknown as Sql, commune: null, pending: 0, inTransaction: 0 };
    c.sql = make(() => (c.commune = null));
    return c;
  };
  const connections: Connection[] = Array.from({ length: size }, open);
  /** While every connection is held by a transaction, or a statement has waited long, more are opened, up to this many in all. */
  const most = size * 3;
  let switches = 0;
  /** Changes of commune on a connection with statements still in flight (see `pick`): none, ever. */
  let switchesInFlight = 0;
  let awayFromHome = 0;
  let ended = false;

  /**
   * Statements waiting for a connection they may use, in the order they came. Whenever a statement
   * settles (or one of them has waited WAIT_BEFORE_MORE_MS), `serve` hands the connections now usable
   * to them in that order, each chosen, set and counted in one turn (`claim`); the others
   * are not woken. (Waking every one of them at every settlement, each to choose again and wait
   * again, cost about 6 % of the server's CPU per answer spread over 500 communes: decision 075.)
   */
  const waiting: Waiter[] = [];
  function serve(): void {
    for (let i = 0; i < waiting.length;) {
      const w = waiting[i];
      let c: Connection | null;
      try {
        c = claim(w.id, w.transaction, w.waitedLong);
      } catch (error) {
        // Opening a connection or queuing the setting failed: this statement says so, the others wait on.
        waiting.splice(i, 1);
        clearTimeout(w.timer);
        w.fail(error);
        continue;
      }
      if (!c) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      clearTimeout(w.timer);
      w.give(c);
    }
  }

  /**
   * A connection commune `id` may use: not held by a transaction, and either set to `id` already or
   * with nothing in flight. Never one still running another commune's statements: postgres.js sends
   * a prepared statement again, after what was queued behind it, when PostgreSQL asks it to (a
   * plan made stale by a migration), and it would then run as the next commune. Among those, the
   * first `size` connections, the ones opened past them only when a statement could have opened one
   * (so they fall idle, and postgres.js closes them after its idle timeout): the commune's home
   * unless it has HOME_SLACK more statements queued than the least busy; else one set to `id` and
   * idle, else the least busy (set to `id` first on a tie). When none may be used, one more is opened, up to `most` in all, if every connection is held
   * by a transaction (one may be waiting on this very statement) or once the statement has waited
   * WAIT_BEFORE_MORE_MS (a commune keeping every connection busy with its own statements, or
   * statements waiting on a lock a transaction holds); else null: it waits for one to settle.
   * (Opening more at once whenever the others ran other communes' statements made 31 connections
   * for 10 with answers spread over 500 communes, and cost about a fifth more CPU per answer than
   * waiting: decision 074.)
   */
  function pick(id: number, waitedLong: boolean): Connection | null {
    const home = connections[homeOf(id, size)];
    const usable = (c: Connection) => !c.inTransaction && (c.commune === id || c.pending === 0);
    let best: Connection | undefined;
    let idleHere: Connection | undefined;
    // Past the first `size`, only when none of those may be used and this statement may have one more.
    const mayGrow = waitedLong || connections.every((c) => c.inTransaction);
    for (const [i, c] of connections.entries()) {
      if (i === size && (best || !mayGrow)) break;
      if (!usable(c)) continue;
      if (!idleHere && c.commune === id && c.pending === 0) idleHere = c;
      if (!best || c.pending < best.pending || (c.pending === best.pending && c.commune === id)) best = c;
    }
    if (best && usable(home) && home.pending <= best.pending + HOME_SLACK) return home;
    if (best) awayFromHome++;
    if (idleHere) return idleHere;
    if (best) return best;
    if (connections.length < most && mayGrow) {
      const extra = open();
      connections.push(extra);
      return extra;
    }
    return null;
  }

  /**
   * A connection for one statement (or transaction) of commune `id`, once there is one: chosen, its
   * commune's setting queued and the statement counted in flight in the same turn, so that no other
   * statement can choose it meanwhile as idle and switch it to another commune before this one is
   * sent. The caller sends the statement next, then `track`s it. When none may be used yet, the
   * statement waits (`serve`; a statement that can join a connection already set to its commune
   * does not wait, whoever waits before it), and may have one more opened once it has waited
   * WAIT_BEFORE_MORE_MS while there are fewer than three times the pool's size.
   */
  function acquire(id: number, transaction = false): Promise<Connection> {
    if (ended) return Promise.reject(new Error(ENDED));
    let c: Connection | null;
    try {
      c = claim(id, transaction, false);
    } catch (error) {
      return Promise.reject(error);
    }
    if (c) return Promise.resolve(c);
    return new Promise<Connection>((give, fail) => {
      const w: Waiter = { id, transaction, waitedLong: false, give, fail, timer: undefined };
      w.timer = setTimeout(() => {
        w.waitedLong = true;
        serve();
      }, WAIT_BEFORE_MORE_MS);
      w.timer.unref?.();
      waiting.push(w);
    });
  }

  /** The connection `pick` gives a statement of commune `id`, its setting queued and the statement (and a transaction) counted, in one turn; null when none may be used yet. */
  function claim(id: number, transaction: boolean, waitedLong: boolean): Connection | null {
    const c = pick(id, waitedLong);
    if (!c) return null;
    enter(c, id);
    c.pending++;
    if (transaction) c.inTransaction++;
    return c;
  }

  /** Queues the commune's setting on `c` when it last served another; returns at once (no await between it and the statement). */
  function enter(c: Connection, id: number): void {
    if (c.commune === id) return;
    // The setting's statement made first: if making it threw, nothing below has changed. (postgres.js
    // queues it a microtask later, still ahead of the caller's statement, queued after it.)
    const setting = c.sql.unsafe(`select set_config('quorum.commune', $1, false)`, [String(id)], { prepare: true });
    // Never so, by `pick`'s rule; counted, so the tests can tell.
    if (c.pending > 0) switchesInFlight++;
    c.commune = id;
    switches++;
    // And the commune its next connection opens as: postgres.js opens one again in place of one it
    // ends (its lifetime, an idle minute) and sends it the statements queued meanwhile, which were
    // queued as this commune's without a setting of their own (decision 074).
    const startup = (c.sql.options as { connection?: Record<string, string> }).connection;
    if (startup) startup["quorum.commune"] = String(id);
    c.pending++;
    void setting
      .catch(() => {
        // The connection was lost: the statement queued right after it fails the same way, and
        // says so to its caller; the next statement on this connection sets the commune again.
        // (Refused on a live connection, which no statement of Quorum's can cause, the statement
        // after it would run as the commune before: all of whose statements had settled.)
        c.commune = null;
      })
      .finally(() => {
        c.pending--;
        serve();
      });
  }

  /**
   * Sends a statement `acquire` counted in flight, and uncounts it once settled. After any failure
   * the connection's commune is taken as unknown, so the next statement sets it again: postgres.js
   * may have opened a new connection in its place.
   */
  function track<T>(c: Connection, send: () => Promise<T>): Promise<T> {
    let promise: Promise<T>;
    try {
      promise = send();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return promise
      .catch((error: unknown) => {
        c.commune = null;
        throw error;
      })
      .finally(() => {
        c.pending--;
        serve();
      });
  }

  return {
    clientFor(id: number) {
      const options = connections[0].sql.options;
      return {
        options,
        unsafe(text: string, params?: unknown[], queryOptions?: { prepare?: boolean }) {
          // Like postgres.js, nothing runs until the result is asked for, as rows or as values.
          const run = async (values: boolean) => {
            const c = await acquire(id);
            return track(c, () => {
              const query = c.sql.unsafe(text, params as never[], queryOptions);
              return values ? (query.values() as Promise<unknown>) : (query as unknown as Promise<unknown>);
            });
          };
          let started: Promise<unknown> | undefined;
          return {
            values: () => run(true),
            then: (ok?: (v: unknown) => unknown, fail?: (e: unknown) => unknown) => (started ??= run(false)).then(ok, fail),
            catch: (fail: (e: unknown) => unknown) => (started ??= run(false)).catch(fail),
            finally: (done: () => void) => (started ??= run(false)).finally(done),
          };
        },
        async begin<R>(work: (tx: unknown) => Promise<R>): Promise<R> {
          const c = await acquire(id, true);
          return track(c, () => c.sql.begin((tx) => work(tx)) as Promise<R>).finally(() => {
            c.inTransaction--;
            serve();
          });
        },
        end: async () => {},
      };
    },
    async end() {
      // No statement takes a connection, or opens one, any more; those waiting for one are told so.
      ended = true;
      for (const w of waiting.splice(0)) {
        clearTimeout(w.timer);
        w.fail(new Error(ENDED));
      }
      await Promise.all(connections.map((c) => c.sql.end({ timeout: 5 })));
    },
    stats: () => ({ connections: connections.length, switches, switchesInFlight, awayFromHome }),
  };
}
