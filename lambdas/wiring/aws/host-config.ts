import { sshConfiguratorFromSecret } from '../build/host-config';
import type { PortGroup } from '../port-groups';
import { secrets } from './secrets';

/** Host configuration over SSH, its key from `SSH_KEY_SECRET_ARN`. */
export const hostConfig: PortGroup<'hostConfig'> = {
  name: 'hostConfig',
  aws: (ctx) => ({ hostConfigurator: sshConfiguratorFromSecret(ctx.need(secrets).secrets, ctx.config().SSH_KEY_SECRET_ARN) }),
};
