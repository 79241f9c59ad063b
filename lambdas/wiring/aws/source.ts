import { readAwsConfig, type AwsConfig } from '../../shared/config';
import type { FlowSettings } from '../../provisioning/ports/deps';
import { memoizedSource } from '../compose';
import type { AwsWiringContext, PortSource } from '../port-groups';

/**
 * The ports of a deployed function: each group built from AWS clients on
 * first use and kept for the life of the container; the configuration read
 * once from the environment.
 */
export function awsPortSource(env: NodeJS.ProcessEnv = process.env): PortSource {
  let config: AwsConfig | undefined;
  const ctx: AwsWiringContext = {
    config: () => (config ??= readAwsConfig(env)),
    need: (group) => source.build(group),
  };
  const source = memoizedSource((group) => group.aws(ctx), {
    settings: () => settingsOf(ctx.config()),
    now: () => new Date(),
  });
  return source;
}

function settingsOf(config: AwsConfig): FlowSettings {
  return {
    pollSeconds: config.POLL_SECONDS,
    hostReadyTimeoutSeconds: config.HOST_READY_TIMEOUT_SECONDS,
    networkReadyTimeoutSeconds: config.NETWORK_READY_TIMEOUT_SECONDS,
    hostMonitorTimeoutSeconds: config.HOST_MONITOR_TIMEOUT_SECONDS,
    configureBudgetMs: config.CONFIGURE_BUDGET_MS,
    sshKeyRef: config.SSH_KEY_SECRET_ARN,
    frontendKeyRef: config.ONE_SECRET_ARN,
  };
}
