import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidStateError } from '../shared/errors';
import type { Page } from '../provisioning/ports/store';
import type { ScheduleStore } from '../provisioning/ports/scheduler';
import { RecurringScheduleSchema, type RecurringSchedule } from '../provisioning/scheduling/recurring-model';

/** Keys of a schedule item. GSI1 lists a caller's schedules apart from its provisions (`SCHEDOWNER#`). */
export function scheduleKeys(s: { id: string; owner?: string; createdAt?: string }) {
  return {
    PK: `SCHED#${s.id}`,
    SK: 'META',
    ...(s.owner !== undefined && s.createdAt !== undefined ? { GSI1PK: `SCHEDOWNER#${s.owner}`, GSI1SK: `${s.createdAt}#${s.id}` } : {}),
  };
}

/**
 * Recurring schedules in the provisions table: `PK=SCHED#<id>`, `SK=META`,
 * listed by owner through GSI1 under a partition of their own, so a
 * provision listing never sees them.
 */
export class DynamoScheduleStore implements ScheduleStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async create(schedule: RecurringSchedule): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...scheduleKeys(schedule), ...schedule },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new InvalidStateError(`schedule ${schedule.id} already exists`);
      throw err;
    }
  }

  async get(id: string): Promise<RecurringSchedule | undefined> {
    const res = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: `SCHED#${id}`, SK: 'META' }, ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async list(owner: string, options: { limit?: number; cursor?: string } = {}): Promise<Page<RecurringSchedule>> {
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': `SCHEDOWNER#${owner}` },
        Limit: Math.min(Math.max(options.limit ?? 50, 1), 100),
        ExclusiveStartKey: options.cursor
          ? (JSON.parse(Buffer.from(options.cursor, 'base64url').toString('utf8')) as Record<string, unknown>)
          : undefined,
        ScanIndexForward: false,
      }),
    );
    return {
      items: (res.Items ?? []).map(fromItem),
      cursor: res.LastEvaluatedKey ? Buffer.from(JSON.stringify(res.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  }

  async recordRun(id: string, run: { at: string; provisionId: string }): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: `SCHED#${id}`, SK: 'META' },
          UpdateExpression: 'SET lastRun = :run',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':run': run },
        }),
      );
    } catch (err) {
      // Deleted while the run was under way: nothing left to record on.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async delete(id: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: `SCHED#${id}`, SK: 'META' } }));
  }
}

function fromItem(item: Record<string, unknown>): RecurringSchedule {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ...rest } = item;
  return RecurringScheduleSchema.parse(rest);
}
