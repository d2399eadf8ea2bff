// Spark's console progress bar and other carriage-return redraws never reach the archived log or the terminal.
import { describe, expect, it } from "vitest";
import { cleanConsoleLine } from "../../src/launch/index.js";

describe("cleanConsoleLine", () => {
  it.each([
    ["26/12/07 12:03:04 WARN TaskSetManager: lost task", "26/12/07 12:03:04 WARN TaskSetManager: lost task"],
    ["mlship: fitting", "mlship: fitting"],
    ["", ""],
    // The bar's redraws, its erasing, then the next real line (all one line to readline: no \n between them).
    ["\r[Stage 3:=====>          (2 + 1) / 4]\r[Stage 3:==========>     (3 + 1) / 4]\r                                   \rmlship: scoring the validation split", "mlship: scoring the validation split"],
    ["progress 10%\rprogress 50%\rprogress 100%", "progress 100%"], // what a terminal would finally show
    ["text with a lone CR at the end\r", "text with a lone CR at the end"],
  ])("keeps %j as %j", (line, kept) => {
    expect(cleanConsoleLine(line)).toBe(kept);
  });

  it.each([
    "\r[Stage 0:>                                                          (0 + 2) / 2]",
    "\r[Stage 3:=====>   (2 + 1) / 4][Stage 4:>   (0 + 1) / 4]\r                                        \r",
    "[Stage 12:=================================================>     (39 + 1) / 40]",
    "\r   \r",
  ])("drops %j", (line) => {
    expect(cleanConsoleLine(line)).toBeNull();
  });
});
