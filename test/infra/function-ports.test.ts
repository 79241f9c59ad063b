import { API_FUNCTIONS, STEP_FUNCTIONS, TRIGGERED_FUNCTIONS, type FunctionSpec } from '../../infra/handlers';
import type { StepWiring } from '../../lambdas/handlers/step-handler';
import type { PortGroupName } from '../../lambdas/wiring/port-groups';

const SPECS: Record<string, FunctionSpec> = { ...STEP_FUNCTIONS, ...API_FUNCTIONS, ...TRIGGERED_FUNCTIONS };

function declared(file: string): { name: string; groups: Set<PortGroupName> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(`../../lambdas/handlers/${file}`) as { handler: { wiring: StepWiring } };
  return { name: handler.wiring.name, groups: new Set(handler.wiring.ports.map((p) => p.name)) };
}

/**
 * The port groups a handler declares (what its bundle holds and what the
 * sandbox lets it use) and the permissions infra/handlers.ts grants its
 * function describe the same calls; the machine tests prove the
 * declarations complete, this proves the grants follow them.
 */
describe.each(Object.keys(SPECS))('function %s', (file) => {
  const spec = SPECS[file] as FunctionSpec;
  const { name, groups } = declared(file);

  it('is named after its handler file', () => {
    expect(name).toBe(file);
  });

  it('may use the table exactly when it declares the table', () => {
    expect(groups.has('table')).toBe(spec.table !== undefined);
  });

  it('may publish events exactly when it declares the events group', () => {
    expect(groups.has('events')).toBe(spec.publishEvents === true);
  });

  it('may read secrets exactly when it declares a group that reads them', () => {
    const reads = ['drivers', 'openNebula', 'hostConfig'].some((g) => groups.has(g as PortGroupName));
    expect(reads || (groups.has('secrets') && spec.readSecrets === true)).toBe(spec.readSecrets === true);
  });

  it('may touch secrets at all only when it declares a group that does', () => {
    const touches = ['secrets', 'drivers', 'openNebula', 'hostConfig'].some((g) => groups.has(g as PortGroupName));
    expect(touches).toBe(Boolean(spec.readSecrets || spec.writeSecrets || spec.deleteSecrets));
  });

  it('may call EC2 and keep driver records exactly when it declares the drivers to build them', () => {
    const buildsDrivers = groups.has('drivers') && spec.driverNamesOnly !== true;
    expect(buildsDrivers).toBe((spec.ec2?.length ?? 0) > 0);
    expect(buildsDrivers).toBe(spec.driverState === true);
    if (spec.driverNamesOnly) expect(groups.has('drivers')).toBe(true);
  });

  it('may start executions exactly when it declares the workflows group', () => {
    expect(groups.has('workflows')).toBe((spec.startExecutions?.length ?? 0) > 0);
  });

  it('may manage schedules or rules exactly when it declares the scheduling group', () => {
    expect(groups.has('scheduling')).toBe((spec.schedules?.length ?? 0) + (spec.rules?.length ?? 0) > 0);
  });
});
