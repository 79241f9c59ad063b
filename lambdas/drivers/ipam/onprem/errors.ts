/** Named errors of the on-prem IPAM: the pool ran out, or a lease is unknown. */
export { IpamExhaustedError, NotFoundError } from '../../../shared/errors';
