// Whether a run's supervising mlship (run.json's `supervisor`) is on this host and still alive.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface Probe {
  host: string; // this host's name
  alive: (pid: number) => boolean; // a process with this pid exists and is an mlship (node) process
}

export type SupervisorHere =
  | { where: "here"; pid: number; alive: boolean }
  | { where: "elsewhere"; pid: number; host: string }
  | { where: "unknown" }; // a record written before mlship recorded its supervisor

// Where the supervisor is, by the probe. Pure.
export function locateSupervisor(supervisor: { pid: number; host: string } | undefined, probe: Probe): SupervisorHere {
  if (!supervisor) return { where: "unknown" };
  if (supervisor.host !== probe.host) return { where: "elsewhere", pid: supervisor.pid, host: supervisor.host };
  return { where: "here", pid: supervisor.pid, alive: probe.alive(supervisor.pid) };
}

// The probe of this machine: signal 0 says the pid exists; /proc (where there is one) says it is a node
// process, so a pid reused by another program is never taken for the supervisor.
export function processProbe(): Probe {
  return {
    host: hostname(),
    alive: (pid) => {
      try {
        process.kill(pid, 0);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
      }
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return /node|mlship/.test(cmd);
      } catch {
        return true; // no /proc here: signal 0 is all there is to go by
      }
    },
  };
}
