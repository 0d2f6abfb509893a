// What stands in the way of HeroDesk's SQLite database file, in one line a person can act on.
// Plain JavaScript: `npm start` runs it before the migrations (scripts/setup.mjs), so a bad
// DATABASE_URL is one line there too, and the app runs it again when it opens the database
// (src/store/db.ts). Writing is tried for real: as root, access(2) says yes to read-only places.
import { closeSync, openSync, realpathSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";

/** `postgresql://…` or `postgres://…`: PostgreSQL (src/store/db.ts); the rest is SQLite. */
export function isPostgresUrl(url) {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A PostgreSQL URL without its password (`***`): it names the database in messages and logs. */
export function redactedUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(a PostgreSQL URL that does not parse)";
  }
}

/** The file of a `file:` URL (Prisma's form: `file:./data/herodesk.db`, options after `?`). */
export function sqlitePath(url) {
  return url.slice("file:".length).split("?")[0];
}

const code = (err) => err?.code ?? String(err);

/**
 * The problem with DATABASE_URL, or null. `folderMayBeMissing`: the caller creates the folder
 * (the migrations do); otherwise a missing folder means the database was never set up.
 */
export function databaseUrlProblem(url, { folderMayBeMissing = false } = {}) {
  if (isPostgresUrl(url)) return null; // PostgreSQL says its own problems when connected to
  if (!url.startsWith("file:")) {
    const kind = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    return `DATABASE_URL: ${kind ? `${kind}: URLs are` : "that is"} not supported; HeroDesk keeps its data in an SQLite file (file:./data/herodesk.db, the default) or in PostgreSQL (postgresql://user@host:5432/database)`;
  }
  // Prisma's SQLite adapter reads everything after `file:` as the path, `?…` included: a file
  // named "herodesk.db?connection_limit=1" would be made beside the one meant.
  if (url.includes("?"))
    return `DATABASE_URL: options after "?" are not supported for SQLite (${url.slice(url.indexOf("?"))}); name the file alone, like file:./data/herodesk.db`;
  const path = sqlitePath(url);
  if (!path) return "DATABASE_URL: file: names no file; use file:./data/herodesk.db (the default)";
  let file;
  try {
    file = statSync(path);
  } catch (err) {
    if (code(err) !== "ENOENT" && code(err) !== "ENOTDIR")
      return `DATABASE_URL: ${path} cannot be read (${code(err)})`;
  }
  if (file?.isDirectory())
    return `DATABASE_URL: ${path} is a folder, not a database file; name a file in it, like file:${join(path, "herodesk.db")}`;

  // The nearest folder that exists: a file in the way, or a folder yet to be made.
  let dir = dirname(path);
  for (;;) {
    let stat;
    try {
      stat = statSync(dir);
    } catch (err) {
      if (code(err) !== "ENOENT") return `DATABASE_URL: ${dir} cannot be read (${code(err)})`;
      const up = dirname(dir);
      if (up === dir) break;
      if (!folderMayBeMissing && dir === dirname(path))
        return `DATABASE_URL: the folder ${dir} does not exist, so the database was never set up; run \`npm run db:migrate\` (npm start does it first)`;
      dir = up;
      continue;
    }
    if (!stat.isDirectory())
      return `DATABASE_URL: ${dir} is a file, so ${path} cannot be made there; name a file in a folder`;
    break;
  }

  if (file) {
    try {
      closeSync(openSync(path, "r+"));
    } catch (err) {
      return `DATABASE_URL: ${path} cannot be written (${code(err)}); give HeroDesk's user write access to it, or name another file`;
    }
  }
  // SQLite writes its journal (-wal, -shm) beside the database: the folder must take new files.
  const probe = join(dir, `.herodesk-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (err) {
    return `DATABASE_URL: the folder ${dir} cannot be written (${code(err)}); SQLite needs to write there beside the database: give HeroDesk's user write access, or name a file elsewhere`;
  }
  return null;
}

/** The file itself, through any symlink (one lock per real file, whatever path names it). */
function realFile(path) {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}

/** Why a lock file cannot be written, in one line. */
export const lockUnwritable = (lockPath) =>
  `DATABASE_URL: HeroDesk cannot write ${lockPath}, which keeps a second HeroDesk off the same database; give HeroDesk's user write access to it (or delete it: it holds nothing when no HeroDesk runs)`;

/** Why a database file cannot be held: another HeroDesk process has it. */
export const heldElsewhere = (path) =>
  `DATABASE_URL: another HeroDesk is already running on ${path} (SQLite serves one process); stop it first, or give this one its own database file`;

/**
 * One HeroDesk per database file: an exclusive SQLite lock on `<file>.lock`, held while it runs.
 * The system drops it when the process ends, however it ends, so a crash never leaves it stale.
 * Returns its release, or null when another process holds it.
 */
export function holdDatabaseFile(path) {
  const lockPath = `${realFile(path)}.lock`;
  // A lock file HeroDesk cannot write holds nothing (SQLite would open it read-only and lock
  // nothing): tried for real first, and said.
  try {
    closeSync(openSync(lockPath, "a"));
  } catch (err) {
    throw Object.assign(new Error(`cannot write ${lockPath} (${code(err)})`), { code: code(err), lockPath });
  }
  const lock = new Database(lockPath, { timeout: 0 });
  try {
    lock.pragma("locking_mode = EXCLUSIVE");
    lock.exec("BEGIN EXCLUSIVE");
  } catch (err) {
    lock.close();
    if (String(err?.code).startsWith("SQLITE_BUSY")) return null;
    throw err;
  }
  return () => lock.close();
}
