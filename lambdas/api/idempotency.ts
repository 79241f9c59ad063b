import { createHash } from 'node:crypto';
import { CreateTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { HttpProblem } from './problem';

/** Where Idempotency-Key records live: a table keyed `id` (S), TTL on `expiration`. */
export interface IdempotencyTable {
  client: DynamoDBClient;
  tableName: string;
}

/** Key attribute of the idempotency table (Powertools' default). */
export const IDEMPOTENCY_KEY_ATTRIBUTE = 'id';
/** TTL attribute of the idempotency table (Powertools' default; enable TTL on it). */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';
/** How long a key is remembered: a retried request within a day gets the first answer. */
export const IDEMPOTENCY_RECORD_SECONDS = 86_400;
/** Default name of the sandbox's idempotency table. */
export const LOCAL_IDEMPOTENCY_TABLE = 'edge-provisioner-idempotency';

/** The valid Idempotency-Key header: 1–128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** What Powertools hashes: the key scoped to its caller, and a fingerprint of what was sent. */
interface KeyedRequest {
  key: string;
  request: string;
}

/** Per call: the operation to run and whether it ran (a replay does not run it). */
interface CallContext {
  operation: () => Promise<unknown>;
  ran: boolean;
  getRemainingTimeInMillis(): number;
}

type Wrapped = (payload: KeyedRequest, ctx: CallContext) => Promise<unknown>;

// One persistence layer per table and operation (Powertools refuses to share one between configurations).
const wrappedByTable = new WeakMap<IdempotencyTable, Map<string, Wrapped>>();

function wrapped(table: IdempotencyTable, operation: string): Wrapped {
  let byName = wrappedByTable.get(table);
  if (!byName) {
    byName = new Map();
    wrappedByTable.set(table, byName);
  }
  let fn = byName.get(operation);
  if (!fn) {
    fn = makeIdempotent(
      async (_payload: KeyedRequest, ctx: CallContext) => {
        ctx.ran = true;
        return ctx.operation();
      },
      {
        persistenceStore: new DynamoDBPersistenceLayer({ tableName: table.tableName, awsSdkV3Client: table.client }),
        config: new IdempotencyConfig({
          eventKeyJmesPath: 'key',
          payloadValidationJmesPath: 'request',
          expiresAfterSeconds: IDEMPOTENCY_RECORD_SECONDS,
          throwOnNoIdempotencyKey: true,
        }),
        keyPrefix: `edge-provisioner.${operation}`,
      },
    ) as Wrapped;
    byName.set(operation, fn);
  }
  return fn;
}

/** A fingerprint of a request: what a retry must repeat byte for byte. */
export function requestFingerprint(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/**
 * Runs `operation` once per caller and Idempotency-Key (Powertools
 * idempotency on DynamoDB): a retry with the same request gets the stored
 * result without running it again; the same key with a different request is
 * a 422; a retry while the first is still running is a 409. A failed
 * operation leaves no record, so it can be retried.
 */
export async function runIdempotent<T>(
  table: IdempotencyTable,
  operation: string,
  request: { owner: string; key: string; fingerprint: string; remainingMs: () => number },
  run: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const ctx: CallContext = { operation: run, ran: false, getRemainingTimeInMillis: request.remainingMs };
  try {
    const result = (await wrapped(table, operation)({ key: `${request.owner}\n${request.key}`, request: request.fingerprint }, ctx)) as T;
    return { result, replayed: !ctx.ran };
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'IdempotencyValidationError') {
      throw new HttpProblem(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused',
        'this Idempotency-Key was used for a different request; use a new key for a new request',
        [{ path: 'headers.idempotency-key', message: 'already used with a different body' }],
      );
    }
    if (name === 'IdempotencyAlreadyInProgressError') {
      throw new HttpProblem(
        409,
        'idempotency-in-progress',
        'Request in progress',
        'a request with this Idempotency-Key is still being processed; retry shortly',
      );
    }
    throw err;
  }
}

/** Creates the idempotency table on a local engine (the sandbox's dynalite); an existing one is kept. */
export async function createIdempotencyTable(client: DynamoDBClient, tableName = LOCAL_IDEMPOTENCY_TABLE): Promise<IdempotencyTable> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_KEY_ATTRIBUTE, KeyType: 'HASH' }],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  return { client, tableName };
}
