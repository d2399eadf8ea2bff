// The files a doc page gives to copy: each fenced block right after a `<!-- file: NAME -->` line, by NAME.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function docFiles(page: string): Map<string, string> {
  const text = readFileSync(join(import.meta.dirname, "..", "..", page), "utf8");
  const files = new Map<string, string>();
  for (const m of text.matchAll(/<!-- file: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```\n/g)) files.set(m[1] as string, `${m[2]}\n`);
  return files;
}
