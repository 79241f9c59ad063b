import { checkHostAction } from '../provisioning/day2/host-power';
import { HostPowerSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CheckHostAction: one poll of a power action (provider state, then MONITORED in OpenNebula). */
export const handler = stepHandler(HostPowerSchema, checkHostAction);
