import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createIpamRegistry } from '../drivers/ipam';
import { createProviderRegistry } from '../drivers/providers';
import { Ec2ClientCache } from '../drivers/providers/aws-ec2/client';
import { EventBridgePublisher } from '../events/eventbridge-publisher';
import { EventBridgeRules } from '../events/eventbridge-rules';
import { createSshHostConfigurator } from '../hostconfig';
import { openNebulaFromSecret } from '../opennebula';
import type { Deps } from '../provisioning/ports/deps';
import { Lifecycle } from '../provisioning/lifecycle';
import { DynamoScheduleStore } from '../store/dynamo-schedule-store';
import { EventBridgeScheduler } from '../scheduling/eventbridge-scheduler';
import { DynamoProvisionStore } from '../store/dynamo-store';
import { readAwsConfig } from '../shared/config';
import { SecretsManagerStore } from '../secrets/secrets-manager-store';
import { SfnWorkflowStarter } from '../workflows/sfn-starter';

/**
 * The ports of a deployed function: SDK clients built once per cold start,
 * configuration from the environment, secrets read when first needed.
 */
export async function buildAwsDeps(env: NodeJS.ProcessEnv = process.env): Promise<Deps> {
  const config = readAwsConfig(env);
  const dynamo = new DynamoDBClient({});
  const store = new DynamoProvisionStore(dynamo, config.TABLE_NAME);
  const eventBridge = new EventBridgeClient({});
  const secrets = new SecretsManagerStore(new SecretsManagerClient({}));
  // One EC2 client per region, shared by provider and IPAM drivers.
  const ec2Clients = new Ec2ClientCache();
  return {
    store,
    lifecycle: new Lifecycle(store, new EventBridgePublisher(eventBridge, config.EVENT_BUS_NAME)),
    providers: createProviderRegistry({ ec2Clients }),
    ipams: createIpamRegistry({ ec2Clients }),
    secrets,
    openNebula: openNebulaFromSecret(() => secrets.get(config.ONE_SECRET_ARN), { timeoutMs: config.ONE_TIMEOUT_MS }),
    hostConfigurator: createSshHostConfigurator({
      privateKey: async () => (await secrets.get(config.SSH_KEY_SECRET_ARN))['privateKey'] ?? '',
    }),
    workflows: new SfnWorkflowStarter(new SFNClient({}), {
      'create-provision': config.CREATE_MACHINE_ARN,
      'delete-provision': config.DELETE_MACHINE_ARN,
    }),
    // Settings missing on a function fail when it first uses them, not at cold start.
    scheduler: new EventBridgeScheduler(new SchedulerClient({}), {
      groupName: config.SCHEDULE_GROUP_NAME,
      roleArn: config.SCHEDULER_ROLE_ARN,
      busArn: config.EVENT_BUS_ARN,
      scheduledCreateFunctionArn: config.SCHEDULED_CREATE_FUNCTION_ARN,
    }),
    eventRules: new EventBridgeRules(eventBridge, config.EVENT_BUS_NAME, config.TEARDOWN_FUNCTION_ARN, config.TEARDOWN_DLQ_ARN),
    schedules: new DynamoScheduleStore(dynamo, config.TABLE_NAME),
    settings: {
      pollSeconds: config.POLL_SECONDS,
      hostReadyTimeoutSeconds: config.HOST_READY_TIMEOUT_SECONDS,
      networkReadyTimeoutSeconds: config.NETWORK_READY_TIMEOUT_SECONDS,
      hostMonitorTimeoutSeconds: config.HOST_MONITOR_TIMEOUT_SECONDS,
      configureBudgetMs: config.CONFIGURE_BUDGET_MS,
      sshKeyRef: config.SSH_KEY_SECRET_ARN,
      frontendKeyRef: config.ONE_SECRET_ARN,
    },
    now: () => new Date(),
  };
}
