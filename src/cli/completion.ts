// Shell completion scripts (bash, zsh, fish) generated from commander's command tree: commands, subcommands, options. Pure.
import type { Command } from "commander";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

interface OptionNode {
  flags: string[]; // "-s", "--set"
  takesValue: boolean;
  description: string;
}

export interface CompletionNode {
  path: string[]; // [] for mlship itself, ["models", "list"]
  description: string;
  options: OptionNode[];
  subcommands: CompletionNode[];
  takesArgs: boolean; // positional arguments (a spec, a file): the shell completes file names
}

const HELP: OptionNode = { flags: ["-h", "--help"], takesValue: false, description: "display help" };

// The tree as data: every visible command with its options (commander's --help added to each).
export function completionTree(cmd: Command, path: string[] = []): CompletionNode {
  const options = cmd.options
    .filter((o) => !o.hidden)
    .map((o) => ({ flags: [o.short, o.long].filter((f): f is string => Boolean(f)), takesValue: o.required || o.optional, description: o.description }));
  return {
    path,
    description: cmd.description(),
    options: [...options, HELP],
    subcommands: cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).map((c) => completionTree(c, [...path, c.name()])),
    takesArgs: cmd.registeredArguments.length > 0,
  };
}

const walk = (n: CompletionNode): CompletionNode[] => [n, ...n.subcommands.flatMap(walk)];
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

// bash: the command path from the words typed so far (skipping option values), then the words for that path.
function bash(root: CompletionNode): string {
  const nodes = walk(root);
  const valued = [...new Set(nodes.flatMap((n) => n.options.filter((o) => o.takesValue).flatMap((o) => o.flags)))].sort();
  const cases = nodes.map((n) => {
    const words = [...n.subcommands.map((s) => s.path.at(-1) as string), ...n.options.flatMap((o) => o.flags)].join(" ");
    const files = n.subcommands.length === 0 && n.takesArgs ? "1" : "0";
    return `    "${n.path.join(" ")}") words="${words}"; files=${files} ;;`;
  });
  const groups = nodes.filter((n) => n.path.length === 1 && n.subcommands.length > 0).map((n) => n.path[0]);
  return `# mlship completion for bash. Load it in ~/.bashrc with: eval "$(mlship completion bash)"
# or save it: mlship completion bash > ~/.local/share/bash-completion/completions/mlship
_mlship() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local path="" skip=0 i w words files
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case " ${valued.join(" ")} " in *" $w "*) skip=1; continue ;; esac
    case "$w" in
      -*) ;;
      *) if [[ -z "$path" ]]; then path="$w"; elif [[ "$path" != *" "* ]] && [[ " ${groups.join(" ")} " == *" $path "* ]]; then path="$path $w"; fi ;;
    esac
  done
  case " ${valued.join(" ")} " in *" $prev "*) COMPREPLY=($(compgen -f -- "$cur")); return ;; esac
  case "$path" in
${cases.join("\n")}
    *) words=""; files=1 ;;
  esac
  if [[ "$cur" != -* && "$files" == 1 ]]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _mlship mlship
`;
}

// zsh: the bash function through zsh's bashcompinit (one tree, one logic), for users of compinit.
function zsh(root: CompletionNode): string {
  return `#compdef mlship
# mlship completion for zsh. Load it in ~/.zshrc with: eval "$(mlship completion zsh)"
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(root).split("\n").filter((l) => !l.startsWith("#")).join("\n")}`;
}

const fishQuote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

// fish: one `complete` line per command and option, conditioned on the command path typed so far.
function fish(root: CompletionNode): string {
  const lines = ["# mlship completion for fish. Save it: mlship completion fish > ~/.config/fish/completions/mlship.fish", "complete -c mlship -f"];
  const seen = (path: string[]) => path.map((p) => `__fish_seen_subcommand_from ${p}`).join("; and ");
  for (const n of walk(root)) {
    const here = n.path.length === 0 ? "__fish_use_subcommand" : seen(n.path);
    const names = n.subcommands.map((s) => s.path.at(-1) as string);
    for (const s of n.subcommands) {
      const cond = n.path.length === 0 ? here : `${here}; and not __fish_seen_subcommand_from ${names.join(" ")}`;
      lines.push(`complete -c mlship -n ${fishQuote(cond)} -a ${s.path.at(-1)} -d ${fishQuote(oneLine(s.description))}`);
    }
    for (const o of n.options) {
      const short = o.flags.find((f) => /^-[^-]/.test(f));
      const long = o.flags.find((f) => f.startsWith("--"));
      const parts = [`complete -c mlship -n ${fishQuote(here)}`, short ? `-s ${short.slice(1)}` : "", long ? `-l ${long.slice(2)}` : "", o.takesValue ? "-r -F" : "", `-d ${fishQuote(oneLine(o.description))}`];
      lines.push(parts.filter(Boolean).join(" "));
    }
    if (n.path.length > 0 && n.subcommands.length === 0 && n.takesArgs) lines.push(`complete -c mlship -n ${fishQuote(here)} -F`);
  }
  return `${lines.join("\n")}\n`;
}

// The script for one shell.
export function completionScript(shell: Shell, program: Command): string {
  const root = completionTree(program);
  return shell === "bash" ? bash(root) : shell === "zsh" ? zsh(root) : fish(root);
}
