import type { Command } from 'commander';
import { formatDescriptorError, loadDescriptorFile, MemorySecretStore, type LoadResult } from '../../lambdas/descriptor';
import type { ProvisionPlan } from '../../lambdas/provisioning/plan';
import type { SecretStore } from '../../lambdas/provisioning/ports/secrets';
import { CliExit, type CliIo } from '../io';
import type { CommandModule } from './index';

/** Options every descriptor-reading verb accepts. */
export interface DescriptorCliOptions {
  input: string[];
  inputsFile?: string;
  providerFile?: string;
  json?: boolean;
}

/** Adds the descriptor options (`--input`, `--inputs-file`, `--provider-file`, `--json`) to a verb. */
export function withDescriptorOptions(command: Command): Command {
  return command
    .argument('<file>', 'provision descriptor (oneprovision 5.12/6.x template or native form)')
    .option('--input <NAME=VALUE>', 'value of a descriptor input (repeatable)', (value: string, all: string[]) => [...all, value], [])
    .option('--inputs-file <file>', 'YAML or JSON mapping of input values')
    .option('--provider-file <file>', 'oneprovider provider file (provider, connection, inputs)')
    .option('--json', 'print JSON');
}

/**
 * Loads a descriptor for a CLI verb. On errors prints one line per error on
 * stderr and ends with exit code 2. Inline credentials go to `secretStore`
 * (a throw-away one unless the caller needs them kept).
 */
export async function loadForCli(
  file: string,
  options: DescriptorCliOptions,
  io: CliIo,
  secretStore: SecretStore = new MemorySecretStore(),
): Promise<ProvisionPlan> {
  const inputs: Record<string, string> = {};
  for (const pair of options.input) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.err(`edgectl: --input expects NAME=VALUE, found '${pair}'`);
      throw new CliExit(2);
    }
    inputs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const result: LoadResult = await loadDescriptorFile(file, {
    secretStore,
    inputs,
    cwd: io.cwd,
    ...(options.inputsFile ? { inputsFile: options.inputsFile } : {}),
    ...(options.providerFile ? { providerFile: options.providerFile } : {}),
  });
  for (const warning of result.warnings) io.err(`warning: ${formatDescriptorError(warning)}`);
  if (!result.ok) {
    for (const error of result.errors) io.err(formatDescriptorError(error));
    throw new CliExit(2);
  }
  return result.plan;
}

/** `edgectl validate FILE`: checks a descriptor and summarises it, or prints the plan with `--json`. */
export const validateCommand: CommandModule = (program, io) => {
  withDescriptorOptions(program.command('validate').description('Check a provision descriptor and summarise what it describes')).action(
    async (file: string, options: DescriptorCliOptions) => {
      const plan = await loadForCli(file, options, io);
      if (options.json) {
        io.out(JSON.stringify(plan, null, 2));
        return;
      }
      const publicIps = plan.networks.reduce((sum, n) => sum + n.publicIps, 0);
      const templates = plan.networks.filter((n) => n.template).length;
      io.out(`${file}: valid — provision '${plan.name}' on provider ${plan.provider.name}`);
      io.out(`  hosts: ${plan.hosts.length}${plan.hosts.length ? ` (${plan.hosts.map((h) => h.name).join(', ')})` : ''}`);
      io.out(`  datastores: ${plan.datastores.length}`);
      io.out(`  networks: ${plan.networks.length}${templates ? ` (${templates} template${templates > 1 ? 's' : ''})` : ''}`);
      io.out(`  public IPs requested: ${publicIps}`);
    },
  );
};
