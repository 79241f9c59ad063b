import { finalizeProvision } from '../provisioning/steps/finalize';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { scheduling } from '../wiring/aws/scheduling';

/** FinalizeProvision: RUNNING, DEGRADED, or a failure for compensation, by policy. */
export const handler = stepHandler(ProvisionStepSchema, finalizeProvision, {
  name: 'finalize-provision',
  ports: [table, events, scheduling],
});
