import { finalizeDelete } from '../provisioning/steps/delete';
import { FinalizeDeleteSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { scheduling } from '../wiring/aws/scheduling';

/** FinalizeDelete: DELETED, or ERROR naming what a forced delete could not remove. */
export const handler = stepHandler(FinalizeDeleteSchema, finalizeDelete, {
  name: 'finalize-delete',
  ports: [table, events, secrets, scheduling],
});
