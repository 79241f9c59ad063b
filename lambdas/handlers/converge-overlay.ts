import { convergeOverlay } from '../provisioning/steps/finalize';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** ConvergeOverlay: full VXLAN peer set on every host, deferred values filled in. */
export const handler = stepHandler(ProvisionStepSchema, convergeOverlay);
