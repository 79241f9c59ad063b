import { createNetworkInfra } from '../provisioning/steps/network-infra';
import { ProvisionStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CreateNetworkInfra: provider infrastructure, cluster, datastores, vnets. */
export const handler = stepHandler(ProvisionStepSchema, createNetworkInfra);
