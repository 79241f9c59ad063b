import { restoreHost } from '../provisioning/day2/restore-host';
import { RestoreHostSchema } from './schemas';
import { stepHandler } from './step-handler';

/** RestoreHost: a host a day-2 step failed on ends registered again or fully released, never half. */
export const handler = stepHandler(RestoreHostSchema, restoreHost);
