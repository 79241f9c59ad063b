import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { TABLE_DEFINITION } from '../lambdas/store/keys';

/** A running local DynamoDB engine and a client for it. */
export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB's API over HTTP on loopback) with the provisions
 * table. With a `path` the data lives on disk, so a restarted sandbox keeps
 * its provisions. dynalite runs on a worker thread: with every request of
 * many host pipelines it would otherwise take a large share of the one
 * event loop the handlers and the workflow runner share.
 */
export async function startLocalDynamo(options: { path?: string; tableName?: string } = {}): Promise<LocalDynamo> {
  const worker = new Worker(join(__dirname, 'dynalite-worker.cjs'), { workerData: { path: options.path } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port?: number; error?: string }) =>
      m.port ? resolve(m.port) : reject(new Error(`dynalite: ${m.error}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dynalite worker exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // Many host pipelines write at once; the SDK's default of 50 sockets would queue them.
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) }),
  });
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
      const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
