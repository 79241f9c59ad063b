import { deleteNetworkInfra } from '../provisioning/steps/teardown';
import { DeleteNetworkSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** DeleteNetworkInfra: vnets, templates, images (with cleanup), datastores, cluster, provider infrastructure, leftovers. */
export const handler = stepHandler(DeleteNetworkSchema, deleteNetworkInfra, {
  name: 'delete-network-infra',
  ports: [table, secrets, drivers, openNebula],
});
