import { recordDeleteFailure } from '../provisioning/steps/delete';
import { CompensateSchema } from './schemas';
import { stepHandler } from './step-handler';

/** RecordDeleteFailure: ERROR with the failed step, or nothing when the delete was refused. */
export const handler = stepHandler(CompensateSchema, recordDeleteFailure);
