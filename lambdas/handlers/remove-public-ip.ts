import { removePublicIp } from '../provisioning/day2/ip-steps';
import { RemovePublicIpSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** RemovePublicIp: takes an IP off its vnet (refused while a VM holds it) and releases it. */
export const handler = stepHandler(RemovePublicIpSchema, removePublicIp, {
  name: 'remove-public-ip',
  ports: [table, events, secrets, drivers, openNebula],
});
