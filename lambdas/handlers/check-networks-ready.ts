import { checkNetworksReady } from '../provisioning/steps/network-infra';
import { NetworkPollSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { openNebula } from '../wiring/aws/opennebula';

/** CheckNetworksReady: one poll of the vnets' asynchronous readiness. */
export const handler = stepHandler(NetworkPollSchema, checkNetworksReady, { name: 'check-networks-ready', ports: [table, openNebula] });
