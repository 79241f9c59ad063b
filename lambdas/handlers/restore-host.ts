import { restoreHost } from '../provisioning/day2/restore-host';
import { RestoreHostSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** RestoreHost: a host a day-2 step failed on ends registered again or fully released, never half. */
export const handler = stepHandler(RestoreHostSchema, restoreHost, {
  name: 'restore-host',
  ports: [table, events, secrets, drivers, openNebula],
});
