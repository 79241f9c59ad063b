import { MemoryDriverStateStore } from '../../../lambdas/drivers/memory-driver-state';
import { ExampleProviderDriver } from '../../../lambdas/drivers/providers/example/example-provider';
import { exampleError } from '../../../lambdas/drivers/providers/example/errors';
import { describeProviderContract } from '../contract/provider-contract';

// The scaffold passes the same contract every registered provider passes.
describeProviderContract('example', () => ({
  driver: new ExampleProviderDriver({}, new MemoryDriverStateStore()),
  provision: (_id, index) => ({ address: `192.0.2.${10 + index}` }),
}));

describe('exampleError', () => {
  it.each([
    [401, 'ProviderAuthError'],
    [429, 'ProviderThrottledError'],
    [409, 'ProviderCapacityError'],
    [400, 'ProviderConfigError'],
    [503, 'ProviderTransientError'],
  ])('maps HTTP %i to %s', (status, name) => {
    expect(exampleError(status, 'x').name).toBe(name);
  });
});
