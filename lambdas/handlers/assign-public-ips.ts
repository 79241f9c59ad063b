import { assignPublicIps } from '../provisioning/steps/host-ips';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** AssignPublicIps: the host's share of public addresses from the IPAM. */
export const handler = stepHandler(HostStepSchema, assignPublicIps);
