import { finishOperation } from '../provisioning/day2/operation-steps';
import { FinishOperationSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';

/** FinishOperation: checks a day-2 operation reached its goal, settles the provision, releases the lock. */
export const handler = stepHandler(FinishOperationSchema, finishOperation, { name: 'finish-operation', ports: [table, events] });
