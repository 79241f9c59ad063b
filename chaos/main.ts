import './quiet-handlers';
import { parseArgs } from 'node:util';
import { runCampaign } from './campaign';

/** `npm run chaos -- --runs N --seed S [--hosts H] [--concurrency C] [--from R]`: JSON line per run, summary last. */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '30' },
      from: { type: 'string', default: '0' },
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
      hosts: { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '1' },
    },
  });
  const int = (name: string, v: string | undefined, min: number, max: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      process.stderr.write(`chaos: --${name} expects an integer from ${min} to ${max}, found '${v}'\n`);
      process.exit(2);
    }
    return n;
  };
  const summary = await runCampaign(
    {
      runs: int('runs', values.runs, 1, 1_000_000),
      from: int('from', values.from, 0, 1_000_000),
      seed: int('seed', values.seed, 0, 2 ** 32 - 1),
      hosts: int('hosts', values.hosts, 1, 16),
      concurrency: int('concurrency', values.concurrency, 1, 32),
    },
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      for (const f of r.failedInvariant) process.stderr.write(`chaos: seed ${r.seed} run ${r.run}: ${f}\n`);
    },
  );
  process.stdout.write(`${JSON.stringify({ ...summary, failedInvariant: summary.failedInvariant })}\n`);
  const bad = summary.leakedHosts + summary.leakedIps + summary.leakedOneObjects + summary.stuck + summary.duplicateAllocations;
  return bad > 0 || summary.failedInvariant.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
