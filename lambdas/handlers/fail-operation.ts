import { failOperation } from '../provisioning/day2/operation-steps';
import { FailOperationSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';

/** FailOperation: records a failed day-2 operation, settles the provision, releases the lock. */
export const handler = stepHandler(FailOperationSchema, failOperation, { name: 'fail-operation', ports: [table, events] });
