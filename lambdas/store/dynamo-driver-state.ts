import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DriverStateStore } from '../provisioning/ports/driver-state';
import { driverStateKeys, DRIVER_STATE_PREFIX } from './keys';

/**
 * Driver records in the provision table: `PK=DRIVER#<kind>`, `SK=<id>`, the
 * record in `value`. One partition per kind, so `list` is one query; reads
 * are consistent, so a record written by one function is seen by the next.
 */
export class DynamoDriverStateStore implements DriverStateStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get<T extends object>(kind: string, id: string): Promise<T | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: driverStateKeys(kind, id), ConsistentRead: true }));
    return res.Item ? (res.Item['value'] as T) : undefined;
  }

  async put<T extends object>(kind: string, id: string, value: T): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...driverStateKeys(kind, id), value } }));
  }

  async putIfAbsent<T extends object>(kind: string, id: string, value: T): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...driverStateKeys(kind, id), value },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async delete(kind: string, id: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: driverStateKeys(kind, id) }));
  }

  async list<T extends object>(kind: string): Promise<T[]> {
    const out: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': `${DRIVER_STATE_PREFIX}${kind}` },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(res.Items ?? []).map((i) => i['value'] as T));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
