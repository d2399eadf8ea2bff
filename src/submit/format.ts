// One shell-pasteable line for a plan: env as KEY=value prefixes, then argv. Redact before calling.
import { quote } from "shell-quote";

// Characters a POSIX shell leaves alone in a word; anything else goes through shell-quote.
const PLAIN = /^[A-Za-z0-9_/.,:=@%+-]+$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

// Quotes one word: plain words stay bare, words without a single quote get '…' (shell-quote would
// backslash-escape them, `local\[\*\]`: correct but hard to read), the rest go through shell-quote.
function word(s: string): string {
  if (PLAIN.test(s)) return s;
  return s.includes("'") ? quote([s]) : `'${s}'`;
}

export function formatCommand(argv: string[], env: Record<string, string> = {}): string {
  const prefixes = Object.keys(env)
    .sort()
    .map((k) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${k}=${word(env[k] ?? "")}` : quote([`${k}=${env[k] ?? ""}`])));
  // A command word that looks like NAME=… would be read as one more assignment; quote it.
  const words = argv.map((a, i) => (i === 0 && ASSIGNMENT.test(a) ? quote([a]) : word(a)));
  return [...prefixes, ...words].join(" ");
}
