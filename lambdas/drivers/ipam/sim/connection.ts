/** The sim IPAM takes the sim provider's (empty) connection. */
export { simConnectionSchema } from '../../providers/sim/connection';
