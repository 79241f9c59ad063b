import { checkHostReady } from '../provisioning/steps/host-allocate';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CheckHostReady: one poll of a booting host. */
export const handler = stepHandler(HostStepSchema, checkHostReady);
