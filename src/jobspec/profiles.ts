// Profiles: named partial specs under `profiles:`, deep-merged over the base on request.
import type { SpecProblem } from "../errors.js";
import { didYouMean } from "./suggest.js";
import { problemAt, type MapNode, type Node } from "./tree.js";
import { describeNode } from "./describe.js";

export interface ProfileSplit {
  base: MapNode; // the root without `profiles`
  overlay?: MapNode; // the chosen profile, when one was asked for and exists
  problems: SpecProblem[];
}

// Takes `profiles` out of the root and picks the named profile.
export function splitProfiles(root: MapNode, name: string | undefined): ProfileSplit {
  const problems: SpecProblem[] = [];
  const entries = new Map(root.entries);
  const profilesEntry = entries.get("profiles");
  entries.delete("profiles");
  const base: MapNode = { ...root, entries };

  const profiles = new Map<string, MapNode>();
  const value = profilesEntry?.value;
  if (profilesEntry && value && !(value.kind === "scalar" && value.value === null)) {
    if (value.kind !== "map") {
      problems.push(problemAt(profilesEntry.keyLoc, "profiles", `expected a map of profile names to partial specs, got ${describeNode(value)}`));
    } else {
      for (const [key, entry] of value.entries) {
        const v = entry.value;
        if (v.kind === "map") profiles.set(key, v);
        else if (v.kind === "scalar" && v.value === null) profiles.set(key, { kind: "map", loc: v.loc, entries: new Map() }); // `dev:` = empty
        else problems.push(problemAt(entry.keyLoc, ["profiles", key], `expected a map (a partial spec), got ${describeNode(entry.value)}`));
      }
    }
  }
  if (name === undefined) return { base, problems };

  const overlay = profiles.get(name);
  if (!overlay) {
    const names = [...profiles.keys()];
    const where = profilesEntry?.keyLoc ?? { file: root.loc.file, line: 0, col: 0 };
    const available = names.length > 0 ? `available: ${names.join(", ")}` : "this spec defines no profiles";
    problems.push(problemAt(where, "profiles", `expected a profile name, got unknown profile "${name}"${didYouMean(name, names)} (${available})`));
    return { base, problems };
  }
  return { base, overlay, problems };
}

// Deep merge: maps merge key by key, anything else (lists, scalars) is replaced by `over`.
// Replaced values keep the overlay's locations, so problems point into the profile.
export function mergeNodes(base: Node, over: Node): Node {
  if (base.kind !== "map" || over.kind !== "map") return over;
  const entries = new Map(base.entries);
  for (const [key, entry] of over.entries) {
    const prev = entries.get(key);
    if (prev && prev.value.kind === "map" && entry.value.kind === "map") {
      entries.set(key, { keyLoc: prev.keyLoc, value: mergeNodes(prev.value, entry.value) });
    } else {
      entries.set(key, entry);
    }
  }
  return { ...base, entries };
}
