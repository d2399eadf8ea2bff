// The process table as /proc shows it to every user: command lines (mode 0444), for tests that watch for leaks.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessLine {
  pid: number;
  argv: string[];
}

// Every process whose command line can be read now (the ones that end while we look are skipped).
export function commandLines(): ProcessLine[] {
  const found: ProcessLine[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (argv.at(-1) === "") argv.pop();
      if (argv.length > 0) found.push({ pid: Number(pid), argv });
    } catch {
      /* the process ended while we looked */
    }
  }
  return found;
}

// Pids of the processes whose command line has every one of the texts.
export function pidsMentioning(...texts: string[]): number[] {
  return commandLines()
    .filter((p) => texts.every((t) => p.argv.join("\0").includes(t)))
    .map((p) => p.pid);
}

// Samples every command line each `everyMs` until stop() is called; `onSample` may look at each one.
export function watchCommandLines(everyMs = 100, onSample: (lines: ProcessLine[]) => void = () => undefined) {
  const seen = new Map<string, ProcessLine>(); // distinct command lines, by pid and text
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const lines = commandLines();
      for (const p of lines) seen.set(`${p.pid}\0${p.argv.join("\0")}`, p);
      onSample(lines);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop(): Promise<ProcessLine[]> {
      watching = false;
      await loop;
      return [...seen.values()];
    },
  };
}
