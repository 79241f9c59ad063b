import { deleteNetworkInfra } from '../provisioning/steps/teardown';
import { DeleteNetworkSchema } from './schemas';
import { stepHandler } from './step-handler';

/** DeleteNetworkInfra: vnets, datastores, cluster, provider infrastructure, leftovers. */
export const handler = stepHandler(DeleteNetworkSchema, deleteNetworkInfra);
