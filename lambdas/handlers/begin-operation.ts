import { beginOperation } from '../provisioning/day2/operation-steps';
import { BeginOperationSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';

/** BeginOperation: first step of every day-2 machine (lock check, new hosts, SCALING, Operation Started). */
export const handler = stepHandler(BeginOperationSchema, beginOperation, { name: 'begin-operation', ports: [table, events] });
