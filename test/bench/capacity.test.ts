import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CapacityMeter, indexWrites } from '../../bench/capacity';
import { startLocalDynamo, type LocalDynamo } from '../../sandbox/local-dynamo';

describe('CapacityMeter', () => {
  let db: LocalDynamo;
  beforeAll(async () => {
    db = await startLocalDynamo();
  });
  afterAll(() => db.close());

  it('counts write units with the GSI copy of a provision document and read units of a read', async () => {
    const meter = new CapacityMeter(db.client);
    const key = { PK: { S: 'PROV#p-cap' }, SK: { S: 'META' } };
    await db.client.send(
      new PutItemCommand({ TableName: db.tableName, Item: { ...key, GSI1PK: { S: 'OWNER#o' }, body: { S: 'x'.repeat(2500) } } }),
    );
    await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: key, ConsistentRead: true }));
    const totals = meter.snapshot();
    // 2.5 KB → 3 WRU on the table and 3 on the index; 1 RRU for a consistent read under 4 KB.
    expect(totals).toEqual({ wru: 6, rru: 1, requests: { PutItem: 1, GetItem: 1 } });
  });
});

describe('indexWrites', () => {
  it('charges the index twice when an update moves its sort key, once otherwise, never for host items', () => {
    const meta = { Key: { PK: { S: 'PROV#p' }, SK: { S: 'META' } } };
    expect(indexWrites('UpdateItem', { ...meta, UpdateExpression: 'SET #s = :s, GSI1SK = :g' })).toBe(2);
    expect(indexWrites('UpdateItem', { ...meta, UpdateExpression: 'SET #v = :v' })).toBe(1);
    expect(indexWrites('UpdateItem', { Key: { PK: { S: 'PROV#p' }, SK: { S: 'HOST#00000' } } })).toBe(0);
    expect(indexWrites('GetItem', meta)).toBe(0);
  });
});
