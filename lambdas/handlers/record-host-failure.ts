import { recordHostFailure } from '../provisioning/steps/host-register';
import { HostFailureSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';

/** RecordHostFailure: marks the host FAILED with the step it failed in. */
export const handler = stepHandler(HostFailureSchema, recordHostFailure, { name: 'record-host-failure', ports: [table, events] });
