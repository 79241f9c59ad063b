import { Ec2ClientCache } from '../../drivers/providers/aws-ec2/client';
import { driverRegistries } from '../build/registries';
import type { PortGroup } from '../port-groups';
import { table } from './table';

/** Provider and IPAM drivers; on-prem records in the provision table, one EC2 client per connection. */
export const drivers: PortGroup<'drivers'> = {
  name: 'drivers',
  aws: (ctx) => driverRegistries({ driverState: ctx.need(table).driverState, ec2Clients: new Ec2ClientCache() }),
};
