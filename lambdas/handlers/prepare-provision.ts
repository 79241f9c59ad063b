import { prepareProvision } from '../provisioning/steps/prepare';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/**
 * PrepareProvision: PENDING → PROVISIONING, hands the machine its hosts. On a
 * retry it releases machines that never booted and forgets OpenNebula objects
 * a rollback removed.
 */
export const handler = stepHandler(ProvisionStepSchema, prepareProvision, {
  name: 'prepare-provision',
  ports: [table, events, secrets, drivers, openNebula],
});
