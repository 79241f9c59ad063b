/**
 * Named errors of the on-prem provider: an unreachable machine is retried
 * (HostUnreachableError); a bad address or a missing power hook is a
 * configuration error; an address another provision holds is refused.
 */
export {
  HostUnreachableError,
  InvalidStateError,
  NotFoundError,
  ProviderConfigError,
  ProviderTransientError,
} from '../../../shared/errors';
