// A small leveled logger writing one JSON line per entry to stderr. It also serves as Bolt's logger.
export type LogLevel = "debug" | "info" | "warn" | "error";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
  level: LogLevel;
}

// Values under these keys never reach the log, whatever logs them.
const SECRET_KEY = /secret|token|signature|authorization|password/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEY.test(k)) out[k] = "[redacted]";
    else if (v instanceof Error) out[k] = v.message;
    else out[k] = v;
  }
  return out;
}

export function createLogger(
  level: LogLevel = "info",
  name = "herodesk",
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Logger {
  const log = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lvl] < order[logger.level]) return;
    write(
      JSON.stringify({
        t: new Date().toISOString(),
        level: lvl,
        name,
        msg,
        ...(fields ? redact(fields) : {}),
      }),
    );
  };
  const logger: Logger = {
    level,
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    child: (child) => createLogger(logger.level, `${name}.${child}`, write),
  };
  return logger;
}
