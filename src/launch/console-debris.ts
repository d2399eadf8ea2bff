// Cleans one output line of carriage-return debris (Spark's console progress bar, any `\r`-redrawn status) before
// it is archived or shown: what a terminal would finally show, without the bar.

// One or more of Spark's ConsoleProgressBar boxes: `[Stage 3:=====>   (2 + 1) / 4]`, several side by side.
const CONSOLE_BAR = /^\s*(\[Stage [^\]\r\n]{0,400}\]\s*)+$/;

// The text a line keeps: the last `\r`-separated segment that is neither blank nor a progress bar (a terminal
// shows the last redraw); null when nothing is left (the whole line was redraws of the bar and its erasing).
export function cleanConsoleLine(line: string): string | null {
  if (!line.includes("\r")) return CONSOLE_BAR.test(line) ? null : line;
  const kept = line.split("\r").filter((part) => part.trim() !== "" && !CONSOLE_BAR.test(part));
  return kept.length > 0 ? kept[kept.length - 1]! : null;
}
