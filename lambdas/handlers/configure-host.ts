import { configureHost } from '../provisioning/steps/host-configure';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { hostConfig } from '../wiring/aws/host-config';

/** ConfigureHost: runs roles over SSH until done or the invocation's time runs low. */
export const handler = stepHandler(HostStepSchema, (deps, input, ctx) => configureHost(deps, { ...input, remainingMs: ctx.remainingMs }), {
  name: 'configure-host',
  ports: [table, events, secrets, hostConfig],
});
