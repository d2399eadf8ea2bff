// What a client needs to know of each input to send values the model understands: its role, its type in
// the pipeline and in the training data, and a categorical input's known levels (others are unseen).
import type { CompiledModel } from "../compile.js";

export interface InputMetadata {
  name: string;
  role: "numeric" | "categorical";
  type: "double" | "string"; // the pipeline's type
  sparkType: string; // the training data's type, which lenient casts follow
  levels: readonly string[] | null; // categorical: the known values, in index order
}

export function inputsMetadata(model: CompiledModel): InputMetadata[] {
  return model.inputSchema.map((c) => ({
    name: c.name,
    role: c.role,
    type: c.type,
    sparkType: c.sparkType ?? c.type,
    levels: c.type === "string" ? (model.levels.get(c.name) ?? null) : null,
  }));
}
