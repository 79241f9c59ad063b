import { configureHost } from '../provisioning/steps/host-configure';
import { HostStepSchema } from './schemas';
import { stepHandler } from './step-handler';

/** ConfigureHost: runs roles over SSH until done or the invocation's time runs low. */
export const handler = stepHandler(HostStepSchema, (deps, input, ctx) => configureHost(deps, { ...input, remainingMs: ctx.remainingMs }));
