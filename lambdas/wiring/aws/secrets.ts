import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../secrets/secrets-manager-store';
import { traced } from '../observability';
import type { PortGroup } from '../port-groups';

/** Secrets under `edge-provisioner/` (Secrets Manager). */
export const secrets: PortGroup<'secrets'> = {
  name: 'secrets',
  aws: () => ({ secrets: new SecretsManagerStore(traced(new SecretsManagerClient({}))) }),
};
