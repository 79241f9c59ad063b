import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createIpamRegistry } from '../drivers/ipam';
import { createProviderRegistry } from '../drivers/providers';
import { Ec2ClientCache } from '../drivers/providers/aws-ec2/client';
import { EventBridgePublisher } from '../events/eventbridge-publisher';
import { createSshHostConfigurator } from '../hostconfig';
import { createOpenNebulaPort } from '../opennebula';
import type { OpenNebulaPort } from '../opennebula/port';
import type { Deps } from '../provisioning/deps';
import { Lifecycle } from '../provisioning/lifecycle';
import { DynamoProvisionStore } from '../store/dynamo-store';
import { readAwsConfig } from './config';
import { SecretsManagerStore } from './secrets-manager-store';
import { SfnWorkflowStarter } from './sfn-starter';

/**
 * The ports of a deployed function: SDK clients built once per cold start,
 * configuration from the environment, secrets read when first needed.
 */
export async function buildAwsDeps(env: NodeJS.ProcessEnv = process.env): Promise<Deps> {
  const config = readAwsConfig(env);
  const store = new DynamoProvisionStore(new DynamoDBClient({}), config.TABLE_NAME);
  const secrets = new SecretsManagerStore(new SecretsManagerClient({}));
  // One EC2 client per region, shared by provider and IPAM drivers.
  const ec2Clients = new Ec2ClientCache();
  let one: Promise<OpenNebulaPort> | undefined;
  return {
    store,
    lifecycle: new Lifecycle(store, new EventBridgePublisher(new EventBridgeClient({}), config.EVENT_BUS_NAME)),
    providers: createProviderRegistry({ ec2Clients }),
    ipams: createIpamRegistry({ ec2Clients }),
    secrets,
    openNebula: () => {
      one ??= secrets.get(config.ONE_SECRET_ARN).then((s) =>
        createOpenNebulaPort({ endpoint: s['endpoint'] ?? '', user: s['user'] ?? '', password: s['password'] ?? '', timeoutMs: config.ONE_TIMEOUT_MS }),
      );
      return one;
    },
    hostConfigurator: createSshHostConfigurator({
      privateKey: async () => (await secrets.get(config.SSH_KEY_SECRET_ARN))['privateKey'] ?? '',
    }),
    workflows: new SfnWorkflowStarter(new SFNClient({}), {
      'create-provision': config.CREATE_MACHINE_ARN,
      'delete-provision': config.DELETE_MACHINE_ARN,
    }),
    settings: {
      pollSeconds: config.POLL_SECONDS,
      hostReadyTimeoutSeconds: config.HOST_READY_TIMEOUT_SECONDS,
      networkReadyTimeoutSeconds: config.NETWORK_READY_TIMEOUT_SECONDS,
      configureBudgetMs: config.CONFIGURE_BUDGET_MS,
      sshKeyRef: config.SSH_KEY_SECRET_ARN,
      frontendKeyRef: config.ONE_SECRET_ARN,
    },
    now: () => new Date(),
  };
}
