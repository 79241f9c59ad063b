import { finalizeDelete } from '../provisioning/steps/delete';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { scheduling } from '../wiring/aws/scheduling';

/** FinalizeDelete: DELETED. */
export const handler = stepHandler(ProvisionStepSchema, finalizeDelete, {
  name: 'finalize-delete',
  ports: [table, events, secrets, scheduling],
});
