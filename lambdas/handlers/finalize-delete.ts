import { finalizeDelete } from '../provisioning/steps/delete';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** FinalizeDelete: DELETED. */
export const handler = stepHandler(ProvisionStepSchema, finalizeDelete);
