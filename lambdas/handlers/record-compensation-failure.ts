import { recordCompensationFailure } from '../provisioning/steps/compensate';
import { CompensationFailureSchema } from './schemas';
import { stepHandler } from './step-handler';

/** RecordCompensationFailure: ERROR even when compensation itself failed. */
export const handler = stepHandler(CompensationFailureSchema, recordCompensationFailure);
