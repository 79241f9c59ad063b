import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { SandboxFaultsSchema, type SandboxFaults } from '../../lambdas/api/sandbox-faults';
import { apiFor } from '../connect';
import { CliExit, type CliIo } from '../io';

const collect = (value: string, all: string[]) => [...all, value];

/** `NAME=WHAT[:N]` → [NAME, WHAT, N?]. */
function pair(flag: string, value: string, io: CliIo): [string, string, number | undefined] {
  const m = /^([^=]+)=([^:]+)(?::(\d+))?$/.exec(value);
  if (!m) {
    io.err(`edgectl: ${flag} expects NAME=WHAT[:N], found '${value}'`);
    throw new CliExit(2);
  }
  return [m[1] as string, m[2] as string, m[3] === undefined ? undefined : Number(m[3])];
}

interface FaultFlags {
  file?: string;
  provider: string[];
  ipam?: string;
  ssh: string[];
  oned: string[];
  onedUnreachable?: string;
  vnetStall?: string;
  storeConflicts?: string;
}

/** The fault spec from a file (YAML or JSON) and the shorthand flags. */
function specOf(options: FaultFlags, io: CliIo): SandboxFaults {
  const spec: Record<string, unknown> = options.file
    ? ((parseYaml(readFileSync(resolve(io.cwd, options.file), 'utf8')) as Record<string, unknown> | null) ?? {})
    : {};
  const provider = { ...((spec['provider'] as object) ?? {}) } as Record<string, unknown>;
  for (const v of options.provider) {
    const [host, fault, times] = pair('--provider', v, io);
    provider[host] = { fault, ...(times ? { times } : {}) };
  }
  if (Object.keys(provider).length) spec['provider'] = provider;
  if (options.ipam) {
    const [fault, times] = options.ipam.split(':');
    spec['ipam'] = { fault, ...(times ? { times: Number(times) } : {}) };
  }
  const ssh = { ...((spec['ssh'] as object) ?? {}) } as Record<string, Record<string, unknown>>;
  for (const v of options.ssh) {
    const [host, what] = pair('--ssh', v.replace(/^([^=]+)=drop-during:/, '$1=drop-during#'), io);
    const entry = (ssh[host] ??= {});
    if (what === 'refuse-auth') entry['refuseAuth'] = true;
    else if (what === 'other-host-key') entry['otherHostKey'] = true;
    else if (what.startsWith('drop-during#')) entry['dropDuringRole'] = what.slice('drop-during#'.length);
    else if (/^latency-\d+$/.test(what)) entry['latencyMs'] = Number(what.slice(8));
    else {
      io.err(`edgectl: --ssh ${v}: expected refuse-auth, other-host-key, drop-during:ROLE or latency-MS`);
      throw new CliExit(2);
    }
  }
  if (Object.keys(ssh).length) spec['ssh'] = ssh;
  const oned = [...((spec['oned'] as unknown[]) ?? [])];
  for (const v of options.oned) {
    const m = /^([^=]+)=(fail-(\d+)|drop-before|drop-after|delay-(\d+))(?:@(\d+))?(?::(\d+))?$/.exec(v);
    if (!m) {
      io.err(`edgectl: --oned ${v}: expected METHOD=fail-CODE|drop-before|drop-after|delay-MS[@NTH][:TIMES]`);
      throw new CliExit(2);
    }
    const action = (m[2] as string).startsWith('fail') ? 'fail' : (m[2] as string).startsWith('delay') ? 'delay' : m[2];
    oned.push({
      method: m[1],
      action,
      ...(m[3] ? { code: Number(m[3]) } : {}),
      ...(m[4] ? { ms: Number(m[4]) } : {}),
      ...(m[5] ? { nth: Number(m[5]) } : {}),
      ...(m[6] ? { times: Number(m[6]) } : {}),
    });
  }
  if (oned.length) spec['oned'] = oned;
  if (options.onedUnreachable) spec['onedUnreachableMs'] = Number(options.onedUnreachable);
  if (options.vnetStall) spec['vnetStallMs'] = Number(options.vnetStall);
  if (options.storeConflicts) spec['storeConflicts'] = Number(options.storeConflicts);
  const parsed = SandboxFaultsSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) io.err(`edgectl: faults: ${issue.path.join('.') || '(spec)'}: ${issue.message}`);
    throw new CliExit(2);
  }
  return parsed.data;
}

/** `edgectl sandbox faults arm|show|clear`: rehearse provider, IPAM, SSH, oned and table failures in the sandbox. */
export function faultsCommand(sandbox: Command, io: CliIo): void {
  const faults = sandbox.command('faults').description('Rehearse failures: arm, show and clear faults of the sandbox’s simulated services');
  faults
    .command('arm')
    .description('Arm faults (from a YAML/JSON file, and/or the flags); each heals after its calls or its time')
    .option('--file <file>', 'fault spec: provider, ipam, ssh, oned, onedUnreachableMs, vnetStallMs, storeConflicts')
    .option('--provider <host=fault[:n]>', 'capacity, quota, throttle-once, lost-response, never-boots, boot-fails', collect, [])
    .option('--ipam <fault[:n]>', 'exhausted or throttle')
    .option('--ssh <host=what>', 'refuse-auth, other-host-key, drop-during:ROLE, latency-MS', collect, [])
    .option('--oned <method=action>', 'fail-CODE, drop-before, drop-after, delay-MS; @NTH and :TIMES', collect, [])
    .option('--oned-unreachable <ms>', 'oned answers nothing for this long')
    .option('--vnet-stall <ms>', 'new vnets stay LOCK_CREATE for this long')
    .option('--store-conflicts <n>', 'the next conditional writes lose to a concurrent writer')
    .action(async (options: FaultFlags, command: Command) => {
      const spec = specOf(options, io);
      io.out(JSON.stringify(await (await apiFor(command, io)).armFaults(spec), null, 2));
    });
  faults
    .command('show')
    .description('Show what is armed')
    .action(async (_options: unknown, command: Command) => {
      io.out(JSON.stringify(await (await apiFor(command, io)).faults(), null, 2));
    });
  faults
    .command('clear')
    .description('Heal the sandbox: disarm every fault')
    .action(async (_options: unknown, command: Command) => {
      io.out(JSON.stringify(await (await apiFor(command, io)).clearFaults(), null, 2));
    });
}
