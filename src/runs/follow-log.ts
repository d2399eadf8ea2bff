// Reads what was appended to a growing log file since the last read, as whole lines (`runs attach`).
import { open } from "node:fs/promises";

const MAX_READ = 1024 * 1024; // per call; the rest comes on the next one

export interface LogTail {
  offset: number; // bytes consumed so far (whole lines only)
  read(): Promise<{ lines: string[]; gone: boolean }>; // new whole lines; gone when the file no longer exists
}

// A tail of `path` from byte 0.
export function logTail(path: string): LogTail {
  const tail: LogTail = {
    offset: 0,
    async read() {
      let handle;
      try {
        handle = await open(path, "r");
      } catch {
        return { lines: [], gone: true };
      }
      try {
        const buf = Buffer.alloc(MAX_READ);
        const { bytesRead } = await handle.read(buf, 0, MAX_READ, tail.offset);
        const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
        if (end < 0) return { lines: [], gone: false };
        const text = buf.subarray(0, end).toString("utf8");
        tail.offset += end + 1;
        return { lines: text.split("\n"), gone: false };
      } finally {
        await handle.close();
      }
    },
  };
  return tail;
}

// The whole lines of `text` after byte `offset` (the archived driver.log, from where the live one stopped).
export function linesAfter(text: Buffer, offset: number): string[] {
  const rest = text.subarray(offset).toString("utf8");
  const lines = rest.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
