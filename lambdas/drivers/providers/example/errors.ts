import {
  ProviderAuthError,
  ProviderCapacityError,
  ProviderConfigError,
  ProviderQuotaError,
  ProviderThrottledError,
  ProviderTransientError,
} from '../../../shared/errors';

/**
 * How a provider's API failures become the named errors the state machines
 * match (retry the transient ones, fail fast on the rest). Copy this mapping
 * and fill in what the provider's API answers.
 */
export function exampleError(status: number, message: string): Error {
  if (status === 401 || status === 403) return new ProviderAuthError(message);
  if (status === 429) return new ProviderThrottledError(message);
  if (status === 409) return new ProviderCapacityError(message);
  if (status === 402) return new ProviderQuotaError(message, 'hosts');
  if (status === 400 || status === 422) return new ProviderConfigError(message);
  return new ProviderTransientError(message);
}
