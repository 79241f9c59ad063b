import { ec2ClientFor, Ec2ClientCache, type AwsClientDeps } from '../providers/aws-ec2/client';
import { awsConnectionSchema, parseAwsConnection } from '../providers/aws-ec2/connection';
import { onpremIpamConnectionSchema, parsePublicIps } from '../providers/onprem/connection';
import type { DriverStateStore } from '../../provisioning/ports/driver-state';
import { MemoryDriverStateStore } from '../memory-driver-state';
import { ExplicitDriverRegistry, type DriverEntry } from '../providers/registry';
import type { DriverRegistry } from '../../provisioning/ports/driver-registry';
import { SimCloud } from '../providers/sim/sim-cloud';
import { simConnectionSchema } from '../providers/sim/sim-provider';
import { OnpremIpamDriver } from './onprem/onprem-ipam';
import type { IpamDriver } from '../../provisioning/ports/ipam';
import { SimIpamDriver } from './sim/sim-ipam';

/** What the IPAM drivers are built from; everything is optional. */
export interface IpamRegistryDeps extends AwsClientDeps {
  /** The simulated cloud of the `sim` entry; share it with the provider registry. One is made on first use when omitted. */
  sim?: SimCloud;
  /** Address leases of the on-prem pool; share it with the provider registry. In-memory (this process only) when omitted. */
  driverState?: DriverStateStore;
}

/**
 * The IPAM registry: `aws` (alias `ec2`: Elastic IPs), `onprem` (a static
 * pool from `public_ips`) and `sim`. Dependencies are built once and shared.
 */
export function createIpamRegistry(deps: IpamRegistryDeps = {}): DriverRegistry<IpamDriver> {
  const clients = new Ec2ClientCache();
  const store = deps.driverState ?? new MemoryDriverStateStore();
  let sim = deps.sim;

  const aws: DriverEntry<IpamDriver> = {
    schema: awsConnectionSchema,
    async create(connection) {
      const parsed = parseAwsConnection(connection);
      // Loaded with the first driver: checking names and connections needs no SDK.
      const { AwsEipIpamDriver } = await import('./aws-eip/aws-eip-ipam');
      return new AwsEipIpamDriver(await ec2ClientFor(deps, clients, parsed), parsed);
    },
  };
  return new ExplicitDriverRegistry<IpamDriver>('IPAM', {
    aws,
    ec2: aws,
    onprem: {
      schema: onpremIpamConnectionSchema,
      create(connection) {
        return new OnpremIpamDriver(parsePublicIps(connection['public_ips'] ?? ''), store);
      },
    },
    sim: {
      schema: simConnectionSchema,
      create() {
        sim ??= new SimCloud();
        return new SimIpamDriver(sim);
      },
    },
  });
}
