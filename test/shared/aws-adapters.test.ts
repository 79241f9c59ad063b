import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SfnWorkflowStarter } from '../../lambdas/workflows/sfn-starter';
import { SecretsManagerStore } from '../../lambdas/secrets/secrets-manager-store';
import { readAwsConfig } from '../../lambdas/shared/config';

const sfn = mockClient(SFNClient);
const sm = mockClient(SecretsManagerClient);
const machines = {
  'create-provision': 'arn:aws:states:eu-central-1:111122223333:stateMachine:create',
  'delete-provision': 'arn:aws:states:eu-central-1:111122223333:stateMachine:delete',
};

describe('SfnWorkflowStarter', () => {
  beforeEach(() => sfn.reset());

  it('starts the named machine with the execution name and JSON input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec:1', startDate: new Date() });
    const res = await new SfnWorkflowStarter(new SFNClient({}), machines).start('create-provision', 'create-p-1', { provisionId: 'p-1' });
    expect(res.executionId).toBe('arn:exec:1');
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: machines['create-provision'],
      name: 'create-p-1',
      input: '{"provisionId":"p-1"}',
    });
  });

  it('treats an execution that already exists as started (idempotent start)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const res = await new SfnWorkflowStarter(new SFNClient({}), machines).start('delete-provision', 'delete-p-1', {});
    expect(res.executionId).toBe('arn:aws:states:eu-central-1:111122223333:execution:delete:delete-p-1');
  });

  it('reads an execution’s status by machine and name, and none for an execution that does not exist', async () => {
    const starter = new SfnWorkflowStarter(new SFNClient({}), machines);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED' });
    expect(await starter.status('create-provision', 'retry-p-1-abc')).toBe('ABORTED');
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, {
      executionArn: 'arn:aws:states:eu-central-1:111122223333:execution:create:retry-p-1-abc',
    });
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'none', $metadata: {} }));
    expect(await starter.status('delete-provision', 'delete-p-1-x')).toBeUndefined();
  });

  it('stops an execution by machine and name, with a cause, and treats a missing one as stopped', async () => {
    const starter = new SfnWorkflowStarter(new SFNClient({}), machines);
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    await starter.stop('delete-provision', 'delete-p-1-x', 'stopped by a forced delete');
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: 'arn:aws:states:eu-central-1:111122223333:execution:delete:delete-p-1-x',
      cause: 'stopped by a forced delete',
    });
    sfn.on(StopExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'none', $metadata: {} }));
    await expect(starter.stop('create-provision', 'gone', 'x')).resolves.toBeUndefined();
  });
});

describe('SecretsManagerStore', () => {
  beforeEach(() => sm.reset());

  it('reads a JSON secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'edge-provisioner/aws' }).resolves({ SecretString: '{"access_key":"A"}' });
    expect(await new SecretsManagerStore(new SecretsManagerClient({})).get('edge-provisioner/aws')).toEqual({ access_key: 'A' });
  });

  it('says which secret is missing', async () => {
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    await expect(new SecretsManagerStore(new SecretsManagerClient({})).get('edge-provisioner/x')).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('edge-provisioner/x'),
    });
  });

  it('creates a secret under the prefix when it does not exist yet', async () => {
    sm.on(PutSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));
    sm.on(CreateSecretCommand).resolves({ ARN: 'arn:secret:1' });
    expect(await new SecretsManagerStore(new SecretsManagerClient({})).put('p-1/aws', { k: 'v' })).toBe('arn:secret:1');
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { Name: 'edge-provisioner/p-1/aws' });
  });
});

describe('SecretsManagerStore.delete', () => {
  beforeEach(() => sm.reset());

  it('schedules deletion with the shortest recovery window, and treats a missing secret as deleted', async () => {
    sm.on(DeleteSecretCommand, { SecretId: 'edge-provisioner/p-1/provider-connection' }).resolves({});
    sm.on(DeleteSecretCommand, { SecretId: 'edge-provisioner/gone' }).rejects(
      new ResourceNotFoundException({ message: 'nope', $metadata: {} }),
    );
    const store = new SecretsManagerStore(new SecretsManagerClient({}));
    await store.delete('edge-provisioner/p-1/provider-connection');
    await expect(store.delete('edge-provisioner/gone')).resolves.toBeUndefined();
    expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, {
      SecretId: 'edge-provisioner/p-1/provider-connection',
      RecoveryWindowInDays: 7,
    });
  });
});

describe('readAwsConfig', () => {
  it('lists every missing variable at once', () => {
    expect(() => readAwsConfig({})).toThrow(/TABLE_NAME.*EVENT_BUS_NAME/s);
  });

  it('applies defaults to the tunables', () => {
    const cfg = readAwsConfig({
      TABLE_NAME: 't',
      EVENT_BUS_NAME: 'b',
      CREATE_MACHINE_ARN: 'c',
      DELETE_MACHINE_ARN: 'd',
      SCALE_MACHINE_ARN: 'sc',
      HOST_ACTION_MACHINE_ARN: 'h',
      IP_ACTION_MACHINE_ARN: 'i',
      CONFIGURE_MACHINE_ARN: 'cf',
      SSH_KEY_SECRET_ARN: 's',
      ONE_SECRET_ARN: 'o',
    });
    expect([cfg.POLL_SECONDS, cfg.HOST_READY_TIMEOUT_SECONDS]).toEqual([30, 3600]);
  });
});
