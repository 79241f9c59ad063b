import { convergeOverlay } from '../provisioning/steps/finalize';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { openNebula } from '../wiring/aws/opennebula';
import { hostConfig } from '../wiring/aws/host-config';

/** ConvergeOverlay: full VXLAN peer set on every host, deferred values filled in. */
export const handler = stepHandler(ProvisionStepSchema, convergeOverlay, {
  name: 'converge-overlay',
  ports: [table, openNebula, hostConfig],
});
