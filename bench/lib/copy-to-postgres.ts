// Copies a seeded SQLite benchmark database into a migrated PostgreSQL one, table by table (the
// seeds write SQLite through better-sqlite3; PostgreSQL gets the same rows). Column values are
// turned into what PostgreSQL's columns take (SQLite keeps booleans as 0/1); serial sequences are
// moved past the copied ids. For benchmarks only.
import Database from "better-sqlite3";
import pg from "pg";

export async function copySqliteToPostgres(file: string, url: string): Promise<void> {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table: string; column: string; type: string }>(
      `SELECT table_name::text AS "table", column_name::text AS "column", data_type::text AS "type"
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const tables = [...new Set(columns.map((c) => c.table))];
    // Foreign keys are not checked while copying (the rows are consistent in SQLite already).
    await client.query("SET session_replication_role = replica");
    for (const table of tables) {
      const booleans = columns.filter((c) => c.table === table && c.type === "boolean").map((c) => c.column);
      // What the migrations wrote (the roster version's one row) is replaced by the seed's copy.
      await client.query(`DELETE FROM "${table}"`);
      const select = sqlite.prepare(`SELECT * FROM "${table}"`);
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await client.query(
          `INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`,
          [JSON.stringify(batch)],
        );
        batch = [];
      };
      for (const row of select.iterate() as Iterable<Record<string, unknown>>) {
        for (const b of booleans) if (row[b] !== null && row[b] !== undefined) row[b] = Boolean(row[b]);
        batch.push(row);
        if (batch.length >= 5000) await flush();
      }
      await flush();
      if (columns.some((c) => c.table === table && c.column === "id"))
        await client
          .query(
            `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), GREATEST(COALESCE(MAX("id"), 0), 1)) FROM "${table}"`,
          )
          .catch(() => {}); // a text id has no sequence
    }
    await client.query("SET session_replication_role = origin");
    await client.query("ANALYZE");
  } finally {
    sqlite.close();
    await client.end();
  }
}
