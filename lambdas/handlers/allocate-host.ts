import { allocateHost } from '../provisioning/steps/host-allocate';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';

/** AllocateHost: one machine at the provider, idempotent by provision and index. */
export const handler = stepHandler(HostStepSchema, allocateHost, { name: 'allocate-host', ports: [table, events, secrets, drivers] });
