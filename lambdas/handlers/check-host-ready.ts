import { checkHostReady } from '../provisioning/steps/host-allocate';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';

/** CheckHostReady: one poll of a booting host. */
export const handler = stepHandler(HostStepSchema, checkHostReady, { name: 'check-host-ready', ports: [table, secrets, drivers] });
