import { removePublicIp } from '../provisioning/day2/ip-steps';
import { RemovePublicIpSchema } from './schemas';
import { stepHandler } from './step-handler';

/** RemovePublicIp: takes an IP off its vnet (refused while a VM holds it) and releases it. */
export const handler = stepHandler(RemovePublicIpSchema, removePublicIp);
