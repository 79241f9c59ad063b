/** Primary key of an item of a provision's partition. */
export function keys(id: string, sk: string): { PK: string; SK: string } {
  return { PK: `PROV#${id}`, SK: sk };
}

/** Key of a name reservation (`NAME#<scope>#<name>`): who holds a provision or OpenNebula name. */
export function nameKeys(key: string): { PK: string; SK: string } {
  return { PK: `NAME#${key}`, SK: 'NAME' };
}

/** Partition key prefix of driver records (`PK=DRIVER#<kind>`): the only items besides schedules a function may delete. */
export const DRIVER_STATE_PREFIX = 'DRIVER#';

/** Primary key of one driver record. */
export function driverStateKeys(kind: string, id: string): { PK: string; SK: string } {
  return { PK: `${DRIVER_STATE_PREFIX}${kind}`, SK: id };
}

/** Sort key of a host item; zero-padded so hosts sort by index. */
export function hostSk(index: number): string {
  return `HOST#${String(index).padStart(5, '0')}`;
}

/** Sort key of an event-log entry; zero-padded so entries sort by sequence. */
export function logSk(seq: number): string {
  return `EVT#${String(seq).padStart(10, '0')}`;
}

/** GSI1 keys: list a caller's provisions by state, newest first. */
export function ownerIndexKeys(p: { id: string; owner: string; state: string; createdAt: string }): { GSI1PK: string; GSI1SK: string } {
  return { GSI1PK: `OWNER#${p.owner}`, GSI1SK: `${p.state}#${p.createdAt}#${p.id}` };
}

/** Opaque paging cursor from a DynamoDB LastEvaluatedKey. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** Inverse of {@link encodeCursor}; a malformed cursor reads as "from the start". */
export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Table definition shared by the CDK stack and the sandbox's local engine. */
export const TABLE_DEFINITION = {
  partitionKey: 'PK',
  sortKey: 'SK',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
} as const;
