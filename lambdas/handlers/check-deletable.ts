import { checkDeletable } from '../provisioning/steps/delete';
import { DeleteSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CheckDeletable: refuses while VMs run unless cleanup; moves to DELETING. */
export const handler = stepHandler(DeleteSchema, checkDeletable);
