import type { DriverRegistry } from '../../provisioning/ports/driver-registry';
import { RETIRED_PROVIDERS, SUPPORTED_PROVIDERS } from '../../provisioning/provider-names';
import { ProviderConfigError } from '../../shared/errors';

/**
 * A registry that knows which drivers a deployment builds but builds none: what
 * the API needs to list providers and refuse a plan it does not accept,
 * without carrying any driver's code or SDK client in its bundle.
 */
export function nameOnlyRegistry<T>(kind: string, names: readonly string[]): DriverRegistry<T> {
  return {
    names: () => [...names],
    refusal(name) {
      if (names.includes(name)) return undefined;
      const retired = RETIRED_PROVIDERS[name];
      if (retired) return `provider '${name}' is retired (${retired}); supported providers: ${SUPPORTED_PROVIDERS.join(', ')}`;
      return `unknown ${kind} '${name}'; supported: ${names.join(', ')}`;
    },
    create(ref) {
      // A function holding this registry only checks names; building a driver here is a wiring mistake.
      return Promise.reject(new ProviderConfigError(`this function does not build ${kind} drivers ('${ref.name}')`));
    },
  };
}
