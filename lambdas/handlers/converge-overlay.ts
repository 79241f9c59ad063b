import { convergeOverlay } from '../provisioning/steps/finalize';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { openNebula } from '../wiring/aws/opennebula';
import { hostConfig } from '../wiring/aws/host-config';
import { events } from '../wiring/aws/events';

/** ConvergeOverlay: full VXLAN peer set on every host, deferred values filled in; a host it cannot reach fails alone. */
export const handler = stepHandler(ProvisionStepSchema, convergeOverlay, {
  name: 'converge-overlay',
  ports: [table, openNebula, hostConfig, events],
});
