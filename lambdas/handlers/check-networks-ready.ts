import { checkNetworksReady } from '../provisioning/steps/network-infra';
import { NetworkPollSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CheckNetworksReady: one poll of the vnets' asynchronous readiness. */
export const handler = stepHandler(NetworkPollSchema, checkNetworksReady);
