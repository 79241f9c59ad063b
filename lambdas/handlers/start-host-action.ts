import { startHostAction } from '../provisioning/day2/host-power';
import { HostPowerSchema } from './schemas';
import { stepHandler } from './step-handler';

/** StartHostAction: pauses VMs (force), takes the host out of scheduling, asks the provider. */
export const handler = stepHandler(HostPowerSchema, startHostAction);
