// The pg adapter as Prisma's WASM schema engine needs it on 6.19.3 (prisma/orm issue 27403;
// /work/shared/notes measured this): used by prisma.config.ts only, for `migrate deploy` and
// `migrate diff`, never by HeroDesk's own queries (src/store/db.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

/** Column types the adapter cannot map, seen in the engine's catalog queries: name, "char", void. */
const AS_TEXT = new Set([18, 19, 2278]);
const TEXT = 25;

/** Reports name, "char" and void columns as text, which is what their values are. */
class CatalogClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Client's query has a dozen overloads.
  override query(...args: any[]): any {
    const textual = (r: pg.QueryResult | undefined) => {
      for (const f of r?.fields ?? []) if (AS_TEXT.has(f.dataTypeID)) f.dataTypeID = TEXT;
      return r;
    };
    const last = args.length - 1;
    // pg.Pool's query hands a callback; a checked-out client's query returns a promise.
    if (typeof args[last] === "function") {
      const cb = args[last];
      args[last] = (err: unknown, r: pg.QueryResult) => cb(err, textual(r));
    }
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(textual) : result;
  }
}

export function migrationAdapter(url: string) {
  // The engine leaves a 10 s lock-timeout timer running after it is done, and the pool keeps idle
  // connections: both would hold the CLI open ~10 s after every deploy.
  const setTimeoutNative = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
    const timer = setTimeoutNative(() => fn(...rest), ms);
    if ((ms ?? 0) >= 5_000) timer.unref?.();
    return timer;
  }) as typeof setTimeout;
  const factory = new PrismaPg({ connectionString: url, Client: CatalogClient, idleTimeoutMillis: 200 });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // The adapter splits a migration on every `;` (strings too) and runs the pieces outside a
    // transaction; one simple query runs the whole script, as one transaction.
    adapter.executeScript = async (script: string) => {
      try {
        await (adapter.underlyingDriver() as pg.Pool).query(script);
      } catch (error) {
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  };
  return factory;
}
