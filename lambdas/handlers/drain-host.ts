import { drainHost } from '../provisioning/day2/scale-steps';
import { DrainHostSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { openNebula } from '../wiring/aws/opennebula';

/** DrainHost: one round of draining a host before scale-in (disable, VMs leave or are terminated). */
export const handler = stepHandler(DrainHostSchema, drainHost, { name: 'drain-host', ports: [table, openNebula] });
