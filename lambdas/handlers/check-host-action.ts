import { checkHostAction } from '../provisioning/day2/host-power';
import { HostPowerSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** CheckHostAction: one poll of a power action (provider state, then MONITORED in OpenNebula). */
export const handler = stepHandler(HostPowerSchema, checkHostAction, {
  name: 'check-host-action',
  ports: [table, events, secrets, drivers, openNebula],
});
