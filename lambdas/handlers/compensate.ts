import { compensate } from '../provisioning/steps/compensate';
import { CompensateSchema } from './schemas';
import { stepHandler } from './step-handler';

/** Compensate: undoes a failed create by its failure policy and records ERROR. */
export const handler = stepHandler(CompensateSchema, compensate);
