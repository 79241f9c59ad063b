import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { spawnerPid } from '../sandbox/hosts/process-spawner';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU (ms) a process used, all threads, plus what its finished children used. */
function processCpuMs(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  return (ticks * 1000) / clockTicks();
}

/**
 * CPU time (ms) the sandbox has used so far: this process (handlers, runner,
 * dynalite, SSH client and servers) and the simulated hosts' processes (the
 * role scripts under bash, started by the host process spawner). Off Linux,
 * this process's own CPU only.
 */
export function sandboxCpuMs(): number {
  try {
    const spawner = spawnerPid();
    return processCpuMs('self') + (spawner ? processCpuMs(spawner) : 0);
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}
