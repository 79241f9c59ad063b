import { assignPublicIps } from '../provisioning/steps/host-ips';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** AssignPublicIps: the host's share of public addresses from the IPAM. */
export const handler = stepHandler(HostStepSchema, assignPublicIps, {
  name: 'assign-public-ips',
  ports: [table, events, secrets, drivers, openNebula],
});
