// The row frame a compiled pipeline works on: values in numbered slots, resolved from column names once.

// A value between stages: a double, a string, a missing value, or a dense vector.
export type Value = number | string | null | Float64Array;

// A compiled stage: reads and writes slots of one row; throws RowError for an invalid row.
export type StageFn = (vals: Value[]) => void;

// What one column holds, so later stages can check and size their inputs at compile time.
export type ColumnInfo = { kind: "double" } | { kind: "string" } | { kind: "vector"; size: number };

// Maps column names to slots while a pipeline is compiled.
export class SlotMap {
  private readonly slots = new Map<string, { slot: number; info: ColumnInfo }>();

  define(name: string, info: ColumnInfo): number {
    const existing = this.slots.get(name);
    if (existing) throw new ModelError(`column "${name}" is produced twice`);
    const slot = this.slots.size;
    this.slots.set(name, { slot, info });
    return slot;
  }

  get(name: string, stage: string): { slot: number; info: ColumnInfo } {
    const entry = this.slots.get(name);
    if (!entry) throw new ModelError(`${stage}: input column "${name}" is not produced by any earlier stage or the input schema`);
    return entry;
  }

  get size(): number {
    return this.slots.size;
  }
}

// A row that cannot be scored (wrong type, unseen category with handleInvalid=error, …).
export class RowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "RowError";
  }
}

// A portable model that cannot be compiled (inconsistent descriptor or stage files).
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelError";
  }
}

// True when a double is "missing" for Spark's Imputer: null always; NaN only when missingValue is NaN.
export function isMissing(v: Value, missingValue: number): boolean {
  if (v === null) return true;
  return Number.isNaN(missingValue) ? Number.isNaN(v as number) : v === missingValue;
}
