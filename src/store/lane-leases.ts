// Outbox lanes across processes. One HeroDesk on SQLite owns every lane (the file is held by one
// process: sqlite-file.mjs). On PostgreSQL any number of replicas share the outbox: a replica works
// on a lane only while it holds the lane's lease, a session advisory lock on a connection of its
// own. PostgreSQL drops a session's locks when its connection ends, so the lease of a replica that
// dies (SIGKILL, a lost machine: TCP keepalive) ends with it, and another replica takes the lane
// over; the item it was on is then `uncertain` (its startedAt stays), as after a crash on SQLite.
import type pg from "pg";

/** A lane's lease: `release` gives it back. */
export interface LaneLeases {
  /** The lease of `lane`, or null when another replica holds it. */
  lease(lane: string): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

const granted = async () => async () => {};

/** SQLite: this process is the only one. */
export const ONE_PROCESS: LaneLeases = { lease: granted, close: async () => {} };

/** Advisory-lock keys of lanes: (namespace, hash of the lane). Two lanes sharing a hash share a lease. */
const LANE_NAMESPACE = 0x48d0; // "HD"

export function postgresLeases(connect: () => pg.Client): LaneLeases {
  let client: Promise<pg.Client> | null = null;
  const held = new Map<string, number>();
  // One query at a time on the connection (pg queues them too, but is retiring that).
  let chain: Promise<unknown> = Promise.resolve();
  const one = <T>(query: (c: pg.Client) => Promise<T>): Promise<T> => {
    const next = chain.then(async () => query(await connection()));
    chain = next.catch(() => undefined);
    return next;
  };
  const connection = () => {
    client ??= (async () => {
      const c = connect();
      // A connection that breaks takes every lease with it: forget them, connect afresh next time.
      c.on("error", () => {
        held.clear();
        client = null;
      });
      await c.connect();
      return c;
    })().catch((err) => {
      client = null;
      throw err;
    });
    return client;
  };
  return {
    async lease(lane) {
      if (held.has(lane)) return null; // this process already works on it
      const { rows } = await one((c) =>
        c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok", [
          LANE_NAMESPACE,
          lane,
        ]),
      );
      if (!rows[0]?.ok) return null;
      held.set(lane, 1);
      return async () => {
        held.delete(lane);
        await one((c) =>
          c.query("SELECT pg_advisory_unlock($1, hashtext($2))::text", [LANE_NAMESPACE, lane]),
        ).catch(() => {});
      };
    },
    async close() {
      const c = client;
      client = null;
      held.clear();
      if (c) await (await c.catch(() => null))?.end().catch(() => {});
    },
  };
}
