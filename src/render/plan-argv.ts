// Reads a run plan's spark-submit argv back into what a Spark Operator manifest needs: conf, dependencies, the rest.
export interface SubmitParts {
  conf: Record<string, string>; // every --conf k=v (plain ones only: the plan never puts a secret on argv)
  lists: Record<string, string[]>; // --jars, --packages, --py-files, --files, … split on commas
  flags: Record<string, string>; // the other options with a value: --name, --driver-memory, --properties-file, …
  app: { resource: string; args: string[] };
}

// spark-submit options that take no value.
const BARE = new Set(["--verbose", "--load-spark-defaults", "--supervise"]);
const LISTS = new Set(["--jars", "--packages", "--exclude-packages", "--repositories", "--py-files", "--files", "--archives"]);

// Splits argv = [spark-submit, ...options, resource, ...args]; the resource is the first word that is no option's value.
export function submitParts(argv: string[]): SubmitParts {
  const parts: SubmitParts = { conf: {}, lists: {}, flags: {}, app: { resource: "", args: [] } };
  let i = 1;
  while (i < argv.length && (argv[i] ?? "").startsWith("--")) {
    const flag = argv[i] as string;
    if (BARE.has(flag)) {
      i += 1;
      continue;
    }
    const value = argv[i + 1] ?? "";
    if (flag === "--conf") {
      const eq = value.indexOf("=");
      parts.conf[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (LISTS.has(flag)) parts.lists[flag] = value.split(",");
    else parts.flags[flag] = value;
    i += 2;
  }
  parts.app = { resource: argv[i] ?? "", args: argv.slice(i + 1) };
  return parts;
}

// The value after `name` in an application's arguments (e.g. --out).
export const argAfter = (args: string[], name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
