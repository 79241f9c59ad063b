import { recordHostFailure } from '../provisioning/steps/host-register';
import { HostFailureSchema } from './schemas';
import { stepHandler } from './step-handler';

/** RecordHostFailure: marks the host FAILED with the step it failed in. */
export const handler = stepHandler(HostFailureSchema, recordHostFailure);
