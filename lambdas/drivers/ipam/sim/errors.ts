/** Named errors of the sim IPAM: the simulated account's address quota. */
export { IpamExhaustedError, ProviderQuotaError } from '../../../shared/errors';
