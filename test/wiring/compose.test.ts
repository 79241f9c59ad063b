import { MemorySecretStore } from '../../lambdas/descriptor';
import type { Deps } from '../../lambdas/provisioning/ports/deps';
import { openNebulaFromSecret } from '../../lambdas/wiring/build/opennebula';
import { awsPortSource } from '../../lambdas/wiring/aws/source';
import { table } from '../../lambdas/wiring/aws/table';
import { composeDeps, memoizedSource, PortNotDeclaredError } from '../../lambdas/wiring/compose';
import type { PortGroup, PortGroupName, PortGroupPorts } from '../../lambdas/wiring/port-groups';

const settings = (): Deps['settings'] => ({
  pollSeconds: 1,
  hostReadyTimeoutSeconds: 1,
  networkReadyTimeoutSeconds: 1,
  configureBudgetMs: 1,
  sshKeyRef: 'k',
  frontendKeyRef: 'f',
});

/** A group whose ports are plain objects, counting how often it is built. */
function group<K extends PortGroupName>(name: K, ports: () => PortGroupPorts[K]): PortGroup<K> & { builds: number } {
  const g = { name, builds: 0, aws: () => ports() };
  g.aws = () => {
    g.builds += 1;
    return ports();
  };
  return g;
}

const appended: string[] = [];
const tableGroup = group('table', () => ({
  store: { appendLog: async (_id: string, type: string) => (appended.push(type), { at: '', seq: 1, type, detail: {} }) } as never,
  driverState: {} as never,
}));
const secretsGroup = group('secrets', () => ({ secrets: new MemorySecretStore() }));
const source = memoizedSource((g) => g.aws({ config: () => ({}) as never, need: () => ({}) as never }), {
  settings,
  now: () => new Date(0),
});

describe('composeDeps', () => {
  const deps = composeDeps(source, [tableGroup, secretsGroup], 'test-step');

  it('builds a group on first use only, and once', () => {
    expect(secretsGroup.builds).toBe(0);
    expect(deps.secrets).toBe(deps.secrets);
    expect(secretsGroup.builds).toBe(1);
  });

  it('refuses a port of a group the function does not declare, naming both', () => {
    expect(() => deps.hostConfigurator).toThrow(PortNotDeclaredError);
    expect(() => deps.providers).toThrow("test-step uses the 'drivers' ports but does not declare them");
  });

  it('writes lifecycle notes with the table alone, and refuses to publish without the events group', async () => {
    await deps.lifecycle.note('p-000000000000', 'Progress', {});
    expect(appended).toEqual(['Progress']);
    await expect(deps.lifecycle.emit('p-000000000000', 'Host Allocated')).rejects.toThrow(PortNotDeclaredError);
  });
});

describe('memoizedSource', () => {
  it('does not keep a build that failed, so the next use builds again', () => {
    let calls = 0;
    const flaky = memoizedSource(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('TABLE_NAME is missing');
        return { secrets: new MemorySecretStore() } as never;
      },
      { settings, now: () => new Date() },
    );
    expect(() => flaky.build(secretsGroup)).toThrow('TABLE_NAME is missing');
    const built = flaky.build(secretsGroup);
    expect(flaky.build(secretsGroup)).toBe(built);
    expect(calls).toBe(2);
  });
});

describe('awsPortSource', () => {
  it('reads the environment on first use and again after a failed read', () => {
    const env: NodeJS.ProcessEnv = {};
    const aws = awsPortSource(env);
    expect(() => aws.settings()).toThrow(/invalid environment: TABLE_NAME/);
    Object.assign(env, {
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
      POLL_SECONDS: '15',
    });
    expect(aws.settings()).toMatchObject({ pollSeconds: 15, sshKeyRef: 's', frontendKeyRef: 'o' });
    expect(aws.build(table)).toBe(aws.build(table));
  });
});

describe('openNebulaFromSecret', () => {
  it('reads the secret once when it works, and again after it failed', async () => {
    const secrets = new MemorySecretStore();
    const reads = jest.spyOn(secrets, 'get');
    const one = openNebulaFromSecret(secrets, 'memory:one', { timeoutMs: 1000 });
    await expect(one()).rejects.toMatchObject({ name: 'NotFoundError' });
    await secrets.put('one', { endpoint: 'http://127.0.0.1:9/RPC2', user: 'oneadmin' });
    await expect(one()).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: 'OpenNebula secret memory:one lacks password (or a session user:password)',
    });
    await secrets.put('one', { endpoint: 'http://127.0.0.1:9/RPC2', user: 'oneadmin', password: 'pw' });
    const port = await one();
    expect(await one()).toBe(port);
    expect(reads).toHaveBeenCalledTimes(3);
  });
});
