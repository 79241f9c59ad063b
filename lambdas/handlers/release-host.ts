import { releaseHost } from '../provisioning/steps/teardown';
import { TeardownHostSchema } from './schemas';
import { stepHandler } from './step-handler';

/** ReleaseHost: the host's public IPs, then the machine. */
export const handler = stepHandler(TeardownHostSchema, releaseHost);
