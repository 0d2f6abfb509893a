// Types of sqlite-file.mjs (plain JavaScript, run by scripts/setup.mjs before the migrations).
export function isPostgresUrl(url: string): boolean;
export function redactedUrl(url: string): string;
export function sqlitePath(url: string): string;
export function databaseUrlProblem(url: string, options?: { folderMayBeMissing?: boolean }): string | null;
export function heldElsewhere(path: string): string;
/** Throws an error with `lockPath` when the lock file cannot be written. */
export function holdDatabaseFile(path: string): (() => void) | null;
export function lockUnwritable(lockPath: string): string;
