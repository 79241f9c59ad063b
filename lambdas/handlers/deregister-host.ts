import { deregisterHost } from '../provisioning/steps/teardown';
import { TeardownHostSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { openNebula } from '../wiring/aws/opennebula';

/** DeregisterHost: VMs (with cleanup), the OpenNebula host and its address ranges. */
export const handler = stepHandler(TeardownHostSchema, deregisterHost, { name: 'deregister-host', ports: [table, openNebula] });
