// A promise that rejects with nobody listening ends a Node process by default
// (--unhandled-rejections=throw since Node 15), and with it the inbound API and every Slack
// listener. HeroDesk catches its own failures where they happen; this is the net under a bug
// there: one clear line in the log, and the process goes on.
export function logUnhandledRejections(write: (line: string) => void = (l) => process.stderr.write(l)): void {
  process.on("unhandledRejection", (reason) => {
    const why = reason instanceof Error ? reason.message : String(reason);
    write(`herodesk: error: a task failed and nothing handled it (the app goes on): ${why}\n`);
  });
}
