import type { ProvisionView } from '../lambdas/api/views';
import type { ProvisionLogEntry } from '../lambdas/provisioning/model';

/** Human-readable `show`. */
export function renderProvision(p: ProvisionView): string {
  const lines = [
    `provision ${p.id} (${p.name})`,
    `  state:      ${p.state}${p.failedStep ? ` — failed in ${p.failedStep}: ${p.error?.errorName}: ${p.error?.message}` : ''}`,
    `  provider:   ${p.provider}`,
    `  cluster:    ${p.cluster ? `${p.cluster.name} (OpenNebula id ${p.cluster.oneId})` : '-'}`,
    `  hosts:`,
    ...p.hosts.map(
      (h) =>
        `    ${h.name.padEnd(16)} ${h.state.padEnd(12)} ${(h.publicIps.join(',') || '-').padEnd(16)} ${h.oneId === null ? '' : `one#${h.oneId}`}${
          h.failedStep ? `  failed in ${h.failedStep}: ${h.error?.errorName}` : ''
        }`,
    ),
    `  datastores:`,
    ...p.datastores.map((d) => `    ${d.name.padEnd(28)} ${d.type.padEnd(10)} ${d.oneId === null ? '-' : `one#${d.oneId}`}`),
    `  networks:`,
    ...p.networks.map(
      (n) => `    ${n.name.padEnd(28)} ${n.role.padEnd(8)} ${n.vnMad.padEnd(8)} ${n.oneId === null ? '-' : `one#${n.oneId}`}`,
    ),
    ...(p.leftovers?.length
      ? ['  not removed (delete --force tries again):', ...p.leftovers.map((l) => `    ${l.object}: ${l.errorName}: ${l.message}`)]
      : []),
    `  operation:  ${p.operation ? `${p.operation.id} ${p.operation.summary} (running since ${p.operation.startedAt})` : '-'}`,
    ...(p.operations.length ? ['  recent operations:'] : []),
    ...p.operations
      .slice(0, 5)
      .map(
        (o) =>
          `    ${o.endedAt}  ${o.outcome.padEnd(11)} ${o.summary}${o.error ? ` — ${o.error.step}: ${o.error.errorName}: ${o.error.message}` : ''}`,
      ),
  ];
  return lines.join('\n');
}

/** Human-readable event log: lifecycle events, and role output when asked for. */
export function renderEvents(entries: ProvisionLogEntry[], withOutput = false): string {
  return entries
    .filter((e) => withOutput || e.type !== 'Role Output')
    .map((e) => {
      const d = e.detail;
      if (e.type === 'Role Output' && Array.isArray(d['lines'])) {
        const prefix = `${e.at}  ${String(e.seq).padStart(4)}  ${`${String(d['host'])} ${String(d['role'])}`.padEnd(20)} `;
        return (d['lines'] as Array<{ stream: string; text: string }>)
          .map((l) => `${prefix}${l.stream === 'stderr' ? '! ' : ''}${l.text}`)
          .join('\n');
      }
      const what = [d['host'], d['address'], d['step'], d['errorName'], d['message'], d['role'], d['text']]
        .filter((x) => x !== undefined && x !== '')
        .join(' ');
      return `${e.at}  ${String(e.seq).padStart(4)}  ${e.type.padEnd(20)} ${what}`;
    })
    .join('\n');
}
