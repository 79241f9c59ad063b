import { prepareProvision } from '../provisioning/steps/prepare';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';

/** PrepareProvision: PENDING → PROVISIONING, hands the machine its hosts. */
export const handler = stepHandler(ProvisionStepSchema, prepareProvision, { name: 'prepare-provision', ports: [table] });
