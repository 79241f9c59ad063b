import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { NotFoundError } from '../shared/errors';
import type { SecretStore } from '../provisioning/ports/secrets';

/** Secrets under this name prefix are the ones the stack's policy lets functions read. */
export const SECRET_PREFIX = 'edge-provisioner/';

/** SecretStore on AWS Secrets Manager; values are JSON objects of strings. */
export class SecretsManagerStore implements SecretStore {
  constructor(private readonly client: SecretsManagerClient) {}

  async get(ref: string): Promise<Record<string, string>> {
    try {
      const res = await this.client.send(new GetSecretValueCommand({ SecretId: ref }));
      return JSON.parse(res.SecretString ?? '{}') as Record<string, string>;
    } catch (err) {
      if (err instanceof ResourceNotFoundException) throw new NotFoundError(`secret ${ref} does not exist`);
      throw err;
    }
  }

  async put(name: string, value: Record<string, string>): Promise<string> {
    const id = name.startsWith(SECRET_PREFIX) ? name : `${SECRET_PREFIX}${name}`;
    try {
      const res = await this.client.send(new PutSecretValueCommand({ SecretId: id, SecretString: JSON.stringify(value) }));
      return res.ARN ?? id;
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      const res = await this.client.send(new CreateSecretCommand({ Name: id, SecretString: JSON.stringify(value) }));
      return res.ARN ?? id;
    }
  }

  async delete(ref: string): Promise<void> {
    try {
      // The shortest recovery window: a secret pending deletion is not billed, and can still be restored for a week.
      await this.client.send(new DeleteSecretCommand({ SecretId: ref, RecoveryWindowInDays: 7 }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
