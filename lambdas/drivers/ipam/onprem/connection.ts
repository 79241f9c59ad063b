/** The on-prem IPAM's pool: `public_ips`, required. */
export { onpremIpamConnectionSchema, parsePublicIps } from '../../providers/onprem/connection';
