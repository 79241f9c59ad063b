import { compensate } from '../provisioning/steps/compensate';
import { CompensateSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';
import { scheduling } from '../wiring/aws/scheduling';

/** Compensate: undoes a failed create by its failure policy and records ERROR. */
export const handler = stepHandler(CompensateSchema, compensate, {
  name: 'compensate',
  ports: [table, events, secrets, drivers, openNebula, scheduling],
});
