import { createNetworkInfra } from '../provisioning/steps/network-infra';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** CreateNetworkInfra: provider infrastructure, cluster, datastores, vnets. */
export const handler = stepHandler(ProvisionStepSchema, createNetworkInfra, {
  name: 'create-network-infra',
  ports: [table, secrets, drivers, openNebula],
});
