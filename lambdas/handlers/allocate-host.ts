import { allocateHost } from '../provisioning/steps/host-allocate';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** AllocateHost: one machine at the provider, idempotent by provision and index. */
export const handler = stepHandler(HostStepSchema, allocateHost);
