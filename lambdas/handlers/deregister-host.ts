import { deregisterHost } from '../provisioning/steps/teardown';
import { TeardownHostSchema } from './schemas';
import { stepHandler } from './step-handler';

/** DeregisterHost: VMs (with cleanup), the OpenNebula host and its address ranges. */
export const handler = stepHandler(TeardownHostSchema, deregisterHost);
