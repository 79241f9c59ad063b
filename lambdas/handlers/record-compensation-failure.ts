import { recordCompensationFailure } from '../provisioning/steps/compensate';
import { CompensationFailureSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';

/** RecordCompensationFailure: ERROR even when compensation itself failed. */
export const handler = stepHandler(CompensationFailureSchema, recordCompensationFailure, {
  name: 'record-compensation-failure',
  ports: [table, events],
});
