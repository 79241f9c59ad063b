import { recordDeleteFailure } from '../provisioning/steps/delete';
import { CompensateSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';

/** RecordDeleteFailure: ERROR with the failed step, or nothing when the delete was refused. */
export const handler = stepHandler(CompensateSchema, recordDeleteFailure, { name: 'record-delete-failure', ports: [table, events] });
