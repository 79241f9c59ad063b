import { addPublicIps } from '../provisioning/day2/ip-steps';
import { AddPublicIpsSchema } from './schemas';
import { stepHandler } from './step-handler';

/** AddPublicIps: leases, routes and registers the public IPs of an ip add. */
export const handler = stepHandler(AddPublicIpsSchema, addPublicIps);
