import { registerHost } from '../provisioning/steps/host-register';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** RegisterHost: adds the configured host to the OpenNebula cluster; each later call polls until OpenNebula monitors it. */
export const handler = stepHandler(HostStepSchema, registerHost);
