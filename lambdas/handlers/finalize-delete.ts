import { finalizeDelete } from '../provisioning/steps/delete';
import { FinalizeDeleteSchema } from './schemas';
import { stepHandler } from './step-handler';

/** FinalizeDelete: DELETED, or ERROR naming what a forced delete could not remove. */
export const handler = stepHandler(FinalizeDeleteSchema, finalizeDelete);
