import { parseArgs } from 'node:util';
import { startSimOned } from './server';

/*
 * npm run oned:sim -- --port 2633 [--user oneadmin] [--password opennebula]
 *   [--state FILE] [--version 7.4.0] [--vnet-ready-delay-ms 1000]
 *   [--host-monitor-delay-ms 5000] [--vm-terminate-delay-ms 1000]
 */
const USAGE =
  'usage: oned:sim -- [--port P] [--user U] [--password P] [--state FILE] [--version V]\n' +
  '       [--vnet-ready-delay-ms N] [--host-monitor-delay-ms N] [--vm-terminate-delay-ms N]\n';

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '2633' },
      user: { type: 'string' },
      password: { type: 'string' },
      state: { type: 'string' },
      version: { type: 'string' },
      'vnet-ready-delay-ms': { type: 'string' },
      'host-monitor-delay-ms': { type: 'string' },
      'vm-terminate-delay-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const sim = await startSimOned({
    port: number(values.port, 'port'),
    user: values.user,
    password: values.password,
    statePath: values.state,
    version: values.version,
    vnetReadyDelayMs: number(values['vnet-ready-delay-ms'], 'vnet-ready-delay-ms'),
    hostMonitorDelayMs: number(values['host-monitor-delay-ms'], 'host-monitor-delay-ms'),
    vmTerminateDelayMs: number(values['vm-terminate-delay-ms'], 'vm-terminate-delay-ms'),
  });
  process.stdout.write(`simulated oned listening on ${sim.url}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
});
