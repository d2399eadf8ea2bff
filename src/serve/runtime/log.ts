// Structured logs on stderr: one JSON object per line, or short human lines on a terminal.

export type Fields = Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

// `base` fields go on every line (a --workers N worker adds {"worker": n}).
export function createLogger(out: { write(text: string): unknown }, json: boolean, now: () => Date = () => new Date(), base: Fields = {}): Logger {
  const line = (level: string) => (msg: string, own: Fields = {}) => {
    const fields = { ...base, ...own };
    if (json) {
      out.write(`${JSON.stringify({ time: now().toISOString(), level, msg, ...fields })}\n`);
      return;
    }
    const extra = Object.entries(fields)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    out.write(`mlship serve: ${level === "info" ? "" : `${level}: `}${msg}${extra ? `  ${extra}` : ""}\n`);
  };
  return { info: line("info"), warn: line("warn"), error: line("error") };
}

// A request URL as logs may show it: the query string (which may carry a token, e.g. ?api_key=) is redacted.
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf("?");
  return q < 0 ? url : `${url.slice(0, q)}?<redacted>`;
}
