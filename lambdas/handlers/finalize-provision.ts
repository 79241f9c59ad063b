import { finalizeProvision } from '../provisioning/steps/finalize';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** FinalizeProvision: RUNNING, DEGRADED, or a failure for compensation, by policy. */
export const handler = stepHandler(ProvisionStepSchema, finalizeProvision);
