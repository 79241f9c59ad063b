import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ROOT, buildSystem } from './fixture';

const addPlugins = jest.spyOn(Validations.prototype, 'addPlugins');
const built = buildSystem();

/** Every acknowledgement in the app: rule id → reason, with where it was made. */
function acknowledgements(): Array<{ path: string; id: string; reason: string }> {
  return built.app.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
    );
}

describe('cdk-nag AwsSolutions checks', () => {
  it('are registered on the app by addEdgeProvisioner, which infra/app.ts uses', () => {
    expect(addPlugins).toHaveBeenCalledTimes(1);
    expect(addPlugins.mock.calls[0]?.[0]).toBeInstanceOf(AwsSolutionsChecks);
    expect(readFileSync(path.join(ROOT, 'infra', 'app.ts'), 'utf8')).toMatch(/addEdgeProvisioner\(app\b/);
  });

  it.each([
    ['stateful', built.stateful],
    ['stateless', built.stateless],
  ])('find nothing unacknowledged in the %s stack', (_name, stack) => {
    const report = new AwsSolutionsChecks(built.app).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('are acknowledged only for the expected rules, each finding by name with its own reason', () => {
    const acks = acknowledgements();
    expect(acks.length).toBeGreaterThan(0);
    const rules = new Set(acks.map((a) => a.id.replace(/^[A-Za-z]+::/, '').replace(/\[.*$/, '')));
    expect([...rules].sort()).toEqual(['AwsSolutions-DDB3', 'AwsSolutions-IAM5', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3']);
    for (const a of acks) {
      // IAM5 only per finding (the resource it allows), never for a whole role.
      if (a.id.includes('IAM5')) expect(a.id).toMatch(/IAM5\[Resource::.+\]$/);
      expect(a.reason.length).toBeGreaterThan(60);
    }
    // Point-in-time recovery is waived for the idempotency records alone.
    expect(acks.filter((a) => a.id.includes('DDB3')).map((a) => a.path)).toEqual(['edge-provisioner-stateful/Idempotency']);
  });

  it('acknowledge the run-time schedule and rule names per function, only for the functions that use them', () => {
    const acks = acknowledgements();
    const owners = (pattern: RegExp) =>
      acks
        .filter((a) => pattern.test(a.id))
        .map((a) => a.path.replace(/^edge-provisioner-stateless\//, ''))
        .sort();
    expect(owners(/:schedule\/edge-provisioner\/\*\]$/)).toEqual([
      'Api/ApiFunction',
      'Steps/Compensate',
      'Steps/FinalizeDelete',
      'Steps/FinalizeProvision',
      'Triggers/Teardown',
    ]);
    expect(owners(/:rule\/edge-provisioner\/edge-teardown-\*\]$/)).toEqual([
      'Steps/Compensate',
      'Steps/FinalizeDelete',
      'Steps/FinalizeProvision',
    ]);
  });
});
