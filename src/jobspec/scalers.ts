// The scalers model.features.scale names, and how true/false map onto them.
export const SCALERS = ["standard", "minmax", "maxabs", "none"] as const;
export type Scaler = (typeof SCALERS)[number];

// model.features.scale as a scaler name; true and false are kept as "standard" and "none".
export function scalerOf(scale: boolean | Scaler): Scaler {
  return scale === true ? "standard" : scale === false ? "none" : scale;
}
