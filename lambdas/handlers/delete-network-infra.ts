import { deleteNetworkInfra } from '../provisioning/steps/teardown';
import { DeleteInfraSchema } from './schemas';
import { stepHandler } from './step-handler';

/** DeleteNetworkInfra: vnets, templates, images (with cleanup), datastores, cluster, provider infrastructure, leftovers. */
export const handler = stepHandler(DeleteInfraSchema, deleteNetworkInfra);
