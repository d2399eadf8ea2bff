// Every mlship command, in the order `mlship --help` lists them; main.ts builds the command line from this list.
import { defineGroup, type CommandTreeEntry } from "../define.js";
import { command as validate } from "./validate.command.js";
import { command as plan } from "./plan.command.js";
import { command as train } from "./train.command.js";
import { command as update } from "./update.command.js";
import { command as render } from "./render.command.js";
import { command as schema } from "./schema.command.js";
import { command as modelsList } from "./models-list.command.js";
import { command as modelsShow } from "./models-show.command.js";
import { command as modelsVersions } from "./models-versions.command.js";
import { command as modelsDelete } from "./models-delete.command.js";
import { command as modelsDiff } from "./models-diff.command.js";
import { command as aliasSet } from "./alias-set.command.js";
import { command as aliasHistory } from "./alias-history.command.js";
import { command as promote } from "./promote.command.js";
import { command as rollback } from "./rollback.command.js";
import { command as tag } from "./tag.command.js";
import { command as runsList } from "./runs-list.command.js";
import { command as runsShow } from "./runs-show.command.js";
import { command as runsLogs } from "./runs-logs.command.js";
import { command as runsStatus } from "./runs-status.command.js";
import { command as runsKill } from "./runs-kill.command.js";
import { command as runsAttach } from "./runs-attach.command.js";
import { command as storeCheck } from "./store-check.command.js";
import { command as serve } from "./serve.command.js";
import { command as predict } from "./predict.command.js";
import { command as setup } from "./setup.command.js";
import { command as doctor } from "./doctor.command.js";
import { command as completion } from "./completion.command.js";
import { command as report } from "./report.command.js";

export const COMMANDS: CommandTreeEntry[] = [
  validate,
  plan,
  train,
  update,
  render,
  schema,
  defineGroup({ name: "models", description: "inspect registered models: list, show, versions, diff, delete", commands: [modelsList, modelsShow, modelsVersions, modelsDiff, modelsDelete] }),
  defineGroup({ name: "alias", description: "move and inspect aliases", commands: [aliasSet, aliasHistory] }),
  promote,
  rollback,
  tag,
  defineGroup({ name: "runs", description: "inspect, follow and stop runs", commands: [runsList, runsShow, runsLogs, runsStatus, runsKill, runsAttach] }),
  defineGroup({ name: "store", description: "check the store", commands: [storeCheck] }),
  serve,
  predict,
  setup,
  doctor,
  completion,
  report,
];
