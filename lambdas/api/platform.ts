import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { IdempotencyTable } from './idempotency';
import type { SandboxFaults } from './sandbox-faults';

/** A custom event a user puts on the sandbox's bus (`POST /events`). */
export interface CustomEvent {
  source: string;
  detailType: string;
  detail: Record<string, unknown>;
}

/**
 * What the HTTP API needs beyond the domain's ports: where Idempotency-Key
 * records live, and, in the sandbox only, a way to put a user's event on the
 * local bus. Kept apart from `Deps` because only the API uses it.
 */
export interface ApiPlatform {
  /** Table of Idempotency-Key records (Powertools' DynamoDB layer, keyed `id`); unset when not configured. */
  idempotency?: IdempotencyTable;
  /** Sandbox only: puts an event on the local bus. Absent in AWS, where `POST /events` does not exist. */
  putEvent?(event: CustomEvent): Promise<{ id: string }>;
  /** Sandbox only: arms rehearsable faults (`/sandbox/faults`) and reports what is armed. */
  faults?: {
    armed(): Record<string, unknown>;
    arm(faults: SandboxFaults): Record<string, unknown>;
    clear(): Record<string, unknown>;
  };
}

type PlatformFactory = () => Promise<ApiPlatform>;

let factory: PlatformFactory | undefined;
let cached: Promise<ApiPlatform> | undefined;

/** Chooses the API's platform (the sandbox sets its own); call before the first request. */
export function setApiPlatformFactory(f: PlatformFactory): void {
  factory = f;
  cached = undefined;
}

/** The deployed API's platform: the idempotency table named by `IDEMPOTENCY_TABLE_NAME`. */
export function platformFromEnv(env: NodeJS.ProcessEnv = process.env): ApiPlatform {
  const tableName = env['IDEMPOTENCY_TABLE_NAME'];
  return tableName ? { idempotency: { client: new DynamoDBClient({}), tableName } } : {};
}

/** The platform of this process, built once. */
export function getApiPlatform(): Promise<ApiPlatform> {
  cached ??= (factory ?? (async () => platformFromEnv()))();
  return cached;
}
