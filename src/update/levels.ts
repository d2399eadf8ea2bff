// The levels an update appended to its StringIndexer columns (update.facts.appendedLevels), as one line: "cat +2 (d, e)".

const SHOWN = 3; // levels named per column; the rest are counted

// The appended levels from a version's update facts (untrusted JSON), or null when it appended none.
export function appendedLevelsLine(facts: Record<string, unknown> | undefined): string | null {
  const raw = facts?.appendedLevels;
  if (!Array.isArray(raw)) return null;
  const parts: string[] = [];
  for (const entry of raw) {
    if (typeof entry !== "object" || entry === null) continue;
    const { column, levels } = entry as { column?: unknown; levels?: unknown };
    if (typeof column !== "string" || !Array.isArray(levels) || levels.length === 0) continue;
    const names = levels.slice(0, SHOWN).map((l) => String(l));
    const more = levels.length > SHOWN ? `, … ${levels.length - SHOWN} more` : "";
    parts.push(`${column} +${levels.length} (${names.join(", ")}${more})`);
  }
  return parts.length ? parts.join(", ") : null;
}
