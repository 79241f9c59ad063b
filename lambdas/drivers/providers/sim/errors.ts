/**
 * Named errors of the sim provider: the ones a real cloud answers, raised by
 * the faults a plan asks for (`sim_fault`, see `faults.ts`) so the flows'
 * retry and compensation paths can be exercised without a cloud.
 */
export {
  HostBootFailedError,
  NotFoundError,
  ProviderCapacityError,
  ProviderQuotaError,
  ProviderThrottledError,
  ProviderTransientError,
} from '../../../shared/errors';
