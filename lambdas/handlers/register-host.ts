import { registerHost } from '../provisioning/steps/host-register';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { openNebula } from '../wiring/aws/opennebula';

/** RegisterHost: adds the configured host to the OpenNebula cluster; each later call polls until OpenNebula monitors it. */
export const handler = stepHandler(HostStepSchema, registerHost, { name: 'register-host', ports: [table, events, openNebula] });
