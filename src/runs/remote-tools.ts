// The tools that ask about or kill a cluster-mode driver from this machine: the spark-submit mlship would run, and `yarn`.
import { locateSpark } from "../setup/locate.js";
import { findOnPath, type Tools } from "../remote/index.js";

// The tools and the environment to run them in; the spark-submit path is null when there is none here.
export function remoteTools(env: Record<string, string | undefined>, projectRoot: string): { tools: Tools | null; env: Record<string, string | undefined> } {
  const located = locateSpark(env, projectRoot);
  const runEnv = located.ok ? { ...env, ...located.env } : env;
  return { tools: located.ok ? { sparkSubmit: located.path, yarn: findOnPath("yarn", runEnv) } : null, env: runEnv };
}
