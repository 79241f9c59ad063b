import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB capacity consumed through one client, in on-demand billing units. */
export interface CapacityTotals {
  /** Read request units. */
  rru: number;
  /** Write request units, the GSI's included. */
  wru: number;
  /** Requests by operation name. */
  requests: Record<string, number>;
}

interface RequestLike {
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Counts the read and write units every request through a DynamoDB client
 * consumes, as on-demand DynamoDB bills them: asks each request for
 * `ReturnConsumedCapacity` (dynalite computes the table's units from item
 * sizes) and adds the GSI writes dynalite leaves out. The table's one GSI
 * (`GSI1`, projecting every attribute) holds the provision documents
 * (`SK = META`) and schedules: a write of one costs its units again on the
 * index, twice when it moves the index key (`GSI1SK`, the state).
 */
export class CapacityMeter {
  private totals: CapacityTotals = { rru: 0, wru: 0, requests: {} };
  private paused = 0;

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as RequestLike | undefined;
        const op = request?.headers['x-amz-target']?.split('.')[1] ?? 'unknown';
        const metered = this.paused === 0;
        let body: Record<string, unknown> | undefined;
        const raw = request?.body;
        const text =
          typeof raw === 'string'
            ? raw
            : raw instanceof Uint8Array
              ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')
              : undefined;
        if (request && text !== undefined) {
          body = JSON.parse(text) as Record<string, unknown>;
          if (body['ReturnConsumedCapacity'] === undefined) {
            const encoded = Buffer.from(JSON.stringify({ ...body, ReturnConsumedCapacity: 'TOTAL' }), 'utf8');
            request.body = encoded;
            for (const name of Object.keys(request.headers)) {
              if (name.toLowerCase() === 'content-length') request.headers[name] = String(encoded.byteLength);
            }
          }
        }
        const result = await next(args);
        if (metered) this.count(op, body, (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        return result;
      },
      { step: 'build', name: 'benchCapacityMeter', override: true },
    );
  }

  /** Runs `read` without counting the requests it starts: the benchmark's own look at the table is no one's bill. */
  async unmetered<T>(read: () => Promise<T>): Promise<T> {
    this.paused += 1;
    try {
      return await read();
    } finally {
      this.paused -= 1;
    }
  }

  /** Totals since the meter was made. */
  snapshot(): CapacityTotals {
    return { rru: this.totals.rru, wru: this.totals.wru, requests: { ...this.totals.requests } };
  }

  private count(op: string, body: Record<string, unknown> | undefined, consumed: unknown): void {
    this.totals.requests[op] = (this.totals.requests[op] ?? 0) + 1;
    const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    const units = list.reduce((sum: number, c) => sum + Number((c as { CapacityUnits?: number }).CapacityUnits ?? 0), 0);
    if (op === 'GetItem' || op === 'Query' || op === 'Scan' || op === 'BatchGetItem') {
      this.totals.rru += units;
      return;
    }
    this.totals.wru += units + units * indexWrites(op, body);
  }
}

/** How many GSI1 writes a table write makes (0, 1, or 2 when it moves the index key). */
export function indexWrites(op: string, body: Record<string, unknown> | undefined): number {
  if (!body || !['PutItem', 'UpdateItem', 'DeleteItem'].includes(op)) return 0;
  const text = JSON.stringify(body);
  const item = (body['Item'] ?? body['Key']) as Record<string, { S?: string }> | undefined;
  const sk = item?.['SK']?.S ?? '';
  const indexed = sk === 'META' || text.includes('GSI1PK') || text.includes('GSI1SK');
  if (!indexed) return 0;
  if (op === 'UpdateItem' && text.includes('GSI1SK')) return 2;
  return 1;
}
