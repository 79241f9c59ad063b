import { startHostAction } from '../provisioning/day2/host-power';
import { HostPowerSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** StartHostAction: pauses VMs (force), takes the host out of scheduling, asks the provider. */
export const handler = stepHandler(HostPowerSchema, startHostAction, {
  name: 'start-host-action',
  ports: [table, secrets, drivers, openNebula],
});
