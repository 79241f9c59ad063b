import { addPublicIps } from '../provisioning/day2/ip-steps';
import { AddPublicIpsSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** AddPublicIps: leases, routes and registers the public IPs of an ip add. */
export const handler = stepHandler(AddPublicIpsSchema, addPublicIps, {
  name: 'add-public-ips',
  ports: [table, events, secrets, drivers, openNebula],
});
