import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { TABLE_DEFINITION } from '../lambdas/store/keys';

/** A running local DynamoDB engine and a client for it. */
export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB's API over HTTP on loopback, in-process) with the
 * provisions table. With a `path` the data lives on disk, so a restarted
 * sandbox keeps its provisions.
 */
export async function startLocalDynamo(options: { path?: string; tableName?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.path });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tableName = options.tableName ?? 'edge-provisioner';
  const t = TABLE_DEFINITION;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: t.partitionKey, AttributeType: 'S' },
          { AttributeName: t.sortKey, AttributeType: 'S' },
          { AttributeName: t.gsi1.partitionKey, AttributeType: 'S' },
          { AttributeName: t.gsi1.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: t.partitionKey, KeyType: 'HASH' },
          { AttributeName: t.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: t.gsi1.name,
            KeySchema: [
              { AttributeName: t.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: t.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  return {
    client,
    endpoint,
    tableName,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
