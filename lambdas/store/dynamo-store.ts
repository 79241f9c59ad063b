import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, InvalidStateError, NotFoundError, OperationInProgressError } from '../shared/errors';
import type {
  HostRecord,
  HostState,
  OperationRecord,
  Provision,
  ProvisionLogEntry,
  ProvisionOperation,
  ProvisionState,
} from '../provisioning/model';
import type {
  HostPatch,
  HostSummary,
  Page,
  ProvisionMeta,
  ProvisionPatch,
  ProvisionStore,
  ProvisionSummary,
} from '../provisioning/ports/store';
import { decodeCursor, encodeCursor, hostSk, keys, logSk, nameKeys, ownerIndexKeys } from './keys';
import { OPERATION_HISTORY } from '../provisioning/lock/operation-lock';

const META_FIELDS = [
  'id',
  'owner',
  'name',
  'state',
  'plan',
  'cluster',
  'datastores',
  'networks',
  'infrastructure',
  'executionId',
  'failedStep',
  'error',
  'leftovers',
  'deletion',
  'operation',
  'operations',
  'createdAt',
  'updatedAt',
  'version',
] as const;

/**
 * ProvisionStore on one DynamoDB table (DESIGN §7): `PK=PROV#<id>` with
 * `SK=META`, `SK=HOST#<n>`, `SK=EVT#<seq>` and a log sequence counter; GSI1
 * lists by owner and state. Every state change is a conditional update on the
 * expected states, so concurrent executions cannot both move an item.
 */
export class DynamoProvisionStore implements ProvisionStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
  }

  async create(provision: Provision): Promise<void> {
    const { hosts, ...meta } = provision;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys(provision.id, 'META'), ...ownerIndexKeys(meta), ...meta },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new InvalidStateError(`provision ${provision.id} already exists`);
      throw err;
    }
    await this.addHosts(provision.id, hosts);
  }

  async getMeta(id: string): Promise<ProvisionMeta | undefined> {
    const meta = await this.metaItem(id);
    return meta ? (pick(meta, META_FIELDS) as unknown as ProvisionMeta) : undefined;
  }

  async hostSummaries(id: string): Promise<HostSummary[]> {
    const items = await this.hostItems(id, {
      ProjectionExpression: '#index, #name, #state, privateIp',
      ExpressionAttributeNames: { '#index': 'index', '#name': 'name', '#state': 'state' },
    });
    return items as unknown as HostSummary[];
  }

  async get(id: string): Promise<Provision | undefined> {
    const meta = await this.metaItem(id);
    if (!meta) return undefined;
    const hosts = (await this.hostItems(id)).map((i) => stripKeys(i) as unknown as HostRecord);
    return { ...(pick(meta, META_FIELDS) as unknown as Omit<Provision, 'hosts'>), hosts };
  }

  /** Every host item of the provision (all pages), by index; `projection` narrows what is read. */
  private async hostItems(
    id: string,
    projection: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
  ): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :host)',
          ExpressionAttributeValues: { ':pk': `PROV#${id}`, ':host': 'HOST#' },
          ...projection,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items.sort((x, y) => (x['index'] as number) - (y['index'] as number));
  }

  async list(filter: { owner?: string; state?: ProvisionState; limit?: number; cursor?: string }): Promise<Page<ProvisionSummary>> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 100);
    const start = decodeCursor(filter.cursor);
    const values: Record<string, unknown> = {};
    let res;
    if (filter.owner !== undefined) {
      values[':pk'] = `OWNER#${filter.owner}`;
      let cond = 'GSI1PK = :pk';
      if (filter.state) {
        values[':st'] = `${filter.state}#`;
        cond += ' AND begins_with(GSI1SK, :st)';
      }
      res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI1',
          KeyConditionExpression: cond,
          ExpressionAttributeValues: values,
          Limit: limit,
          ExclusiveStartKey: start,
          ScanIndexForward: false,
        }),
      );
    } else {
      values[':meta'] = 'META';
      let expr = 'SK = :meta';
      if (filter.state) {
        values[':state'] = filter.state;
        expr += ' AND #state = :state';
      }
      res = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: expr,
          ExpressionAttributeValues: values,
          ExpressionAttributeNames: filter.state ? { '#state': 'state' } : undefined,
          Limit: limit,
          ExclusiveStartKey: start,
        }),
      );
    }
    const items = (res.Items ?? []).map((i) => ({
      id: i['id'] as string,
      owner: i['owner'] as string,
      name: i['name'] as string,
      state: i['state'] as ProvisionState,
      createdAt: i['createdAt'] as string,
      updatedAt: i['updatedAt'] as string,
      hostCount: Array.isArray((i['plan'] as { hosts?: unknown[] } | undefined)?.hosts)
        ? (i['plan'] as { hosts: unknown[] }).hosts.length
        : 0,
    }));
    return { items, cursor: encodeCursor(res.LastEvaluatedKey) };
  }

  async transition(id: string, from: readonly ProvisionState[], to: ProvisionState, patch: ProvisionPatch = {}): Promise<Provision> {
    await this.updateMeta(id, from, { ...patch, state: to });
    return this.mustGet(id);
  }

  async patch(id: string, inStates: readonly ProvisionState[], patch: ProvisionPatch): Promise<Provision> {
    await this.updateMeta(id, inStates, patch);
    return this.mustGet(id);
  }

  async acquireOperation(id: string, operation: ProvisionOperation, options: { inStates: readonly ProvisionState[] }): Promise<Provision> {
    const values: Record<string, unknown> = { ':op': operation, ':one': 1, ':at': this.now().toISOString() };
    const states = options.inStates.map((st, n) => {
      values[`:s${n}`] = st;
      return `:s${n}`;
    });
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys(id, 'META'),
          UpdateExpression: 'SET #op = :op, #version = #version + :one, updatedAt = :at',
          ConditionExpression: `attribute_exists(PK) AND #state IN (${states.join(', ')}) AND attribute_not_exists(#op)`,
          ExpressionAttributeNames: { '#op': 'operation', '#state': 'state', '#version': 'version' },
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const current = await this.getMeta(id);
      if (!current) throw new NotFoundError(`provision ${id} does not exist`);
      const holder = current['operation'] as ProvisionOperation | undefined;
      if (holder) {
        throw new OperationInProgressError(
          `operation ${holder.id} (${holder.summary}) started at ${holder.startedAt} is running on provision ${id}; wait for it to end`,
          { id: holder.id, kind: holder.kind, summary: holder.summary, startedAt: holder.startedAt, executionId: holder.executionId },
        );
      }
      const state = String(current['state']);
      if (!options.inStates.includes(state as ProvisionState)) {
        throw new InvalidStateError(`provision ${id} is ${state}; expected ${options.inStates.join(' or ')}`);
      }
      throw new ConcurrentUpdateError(`the operation lock of provision ${id} was changed by another writer`);
    }
    return this.mustGet(id);
  }

  async reserveName(key: string, provisionId: string, options: { replacing?: string } = {}): Promise<string | undefined> {
    const condition =
      options.replacing === undefined ? 'attribute_not_exists(PK) OR provisionId = :me' : 'provisionId = :me OR provisionId = :old';
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...nameKeys(key), provisionId, reservedAt: this.now().toISOString() },
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':me': provisionId, ...(options.replacing !== undefined ? { ':old': options.replacing } : {}) },
        }),
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const held = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: nameKeys(key), ConsistentRead: true }));
      return String(held.Item?.['provisionId'] ?? '');
    }
  }

  async releaseName(key: string, provisionId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: nameKeys(key),
          ConditionExpression: 'provisionId = :me',
          ExpressionAttributeValues: { ':me': provisionId },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async setOperationExecution(id: string, operationId: string, executionId: string): Promise<boolean> {
    const update = (expression: string, condition: string, values: Record<string, string>, names: Record<string, string>) =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys(id, 'META'),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#op': 'operation', '#exec': 'executionId', ...names },
          ExpressionAttributeValues: { ':exec': executionId, ...values },
        }),
      );
    try {
      await update('SET #op.#exec = :exec, #exec = :exec', '#op.#id = :opId', { ':opId': operationId }, { '#id': 'id' });
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    try {
      // The execution ended (and released the lock) before its start was recorded: still the last one, unless another holds the lock.
      await update('SET #exec = :exec', 'attribute_exists(PK) AND attribute_not_exists(#op)', {}, {});
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    return false;
  }

  async releaseOperation(id: string, holder: { operationId?: string; executionName?: string }, record?: OperationRecord): Promise<boolean> {
    const current = await this.getMeta(id);
    const held = current?.['operation'] as ProvisionOperation | undefined;
    if (!held) return false;
    const matches =
      (holder.operationId !== undefined && held.id === holder.operationId) ||
      (holder.executionName !== undefined && held.executionName === holder.executionName);
    if (!matches) return false;
    const history = (current?.['operations'] as OperationRecord[] | undefined) ?? [];
    const operations = record ? [record, ...history.filter((r) => r.id !== record.id)].slice(0, OPERATION_HISTORY) : history;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys(id, 'META'),
          UpdateExpression: 'SET operations = :ops, #version = #version + :one, updatedAt = :at REMOVE #op',
          ConditionExpression: '#op.#id = :held',
          ExpressionAttributeNames: { '#op': 'operation', '#id': 'id', '#version': 'version' },
          ExpressionAttributeValues: { ':ops': operations, ':held': held.id, ':one': 1, ':at': this.now().toISOString() },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async addHosts(id: string, hosts: HostRecord[]): Promise<void> {
    for (let i = 0; i < hosts.length; i += 25) {
      const chunk = hosts.slice(i, i + 25);
      await this.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.tableName]: chunk.map((h) => ({ PutRequest: { Item: { ...keys(id, hostSk(h.index)), ...h } } })),
          },
        }),
      );
    }
  }

  async getHost(id: string, index: number): Promise<HostRecord | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys(id, hostSk(index)), ConsistentRead: true }));
    return res.Item ? (stripKeys(res.Item) as unknown as HostRecord) : undefined;
  }

  async updateHost(
    id: string,
    index: number,
    from: readonly HostState[],
    to: HostState | undefined,
    patch: HostPatch = {},
  ): Promise<HostRecord> {
    const { clearError, remove: removed = [], ifVersion, ...fields } = patch;
    const set: Record<string, unknown> = { ...fields, updatedAt: this.now().toISOString() };
    if (to) set['state'] = to;
    const remove = [...(clearError ? ['error', 'failedStep'] : []), ...removed];
    const res = await this.conditionalUpdate(keys(id, hostSk(index)), from, set, remove, `host ${index} of provision ${id}`, { ifVersion });
    return stripKeys(res) as unknown as HostRecord;
  }

  async appendLog(id: string, type: string, detail: Record<string, unknown>): Promise<ProvisionLogEntry> {
    const counter = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys(id, 'LOGSEQ'),
        UpdateExpression: 'ADD seq :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const seq = Number(counter.Attributes?.['seq'] ?? 0);
    const entry: ProvisionLogEntry = { at: this.now().toISOString(), seq, type, detail };
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys(id, logSk(seq)), ...entry } }));
    return entry;
  }

  async log(id: string, options: { after?: string; limit?: number } = {}): Promise<Page<ProvisionLogEntry>> {
    const limit = Math.min(Math.max(options.limit ?? 500, 1), 1000);
    const after = options.after !== undefined ? Number(options.after) : 0;
    const res = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `PROV#${id}`, ':from': logSk(after + 1), ':to': 'EVT#~' },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    const items = (res.Items ?? []).map((i) => stripKeys(i) as unknown as ProvisionLogEntry);
    const last = items[items.length - 1];
    return { items, cursor: res.LastEvaluatedKey && last ? String(last.seq) : undefined };
  }

  private async updateMeta(id: string, from: readonly ProvisionState[], patch: ProvisionPatch & { state?: ProvisionState }): Promise<void> {
    const { clearError, remove = [], whileHolding, ...fields } = patch;
    const updatedAt = this.now().toISOString();
    const set: Record<string, unknown> = { ...fields, updatedAt };
    if (fields.state) {
      const current = await this.metaItem(id);
      if (!current) throw new NotFoundError(`provision ${id} does not exist`);
      set['GSI1SK'] = ownerIndexKeys({
        id,
        createdAt: String(current['createdAt']),
        owner: String(current['owner']),
        state: fields.state,
      }).GSI1SK;
    }
    await this.conditionalUpdate(
      keys(id, 'META'),
      from,
      set,
      [...(clearError ? ['error', 'failedStep'] : []), ...remove],
      `provision ${id}`,
      { whileHolding },
    );
  }

  private async conditionalUpdate(
    key: Record<string, string>,
    from: readonly string[],
    set: Record<string, unknown>,
    remove: string[],
    what: string,
    guards: { ifVersion?: number; whileHolding?: string } = {},
  ): Promise<Record<string, unknown>> {
    const names: Record<string, string> = { '#state': 'state', '#version': 'version' };
    const values: Record<string, unknown> = { ':one': 1 };
    let guard = '';
    if (guards.ifVersion !== undefined) {
      values[':expected'] = guards.ifVersion;
      guard += ' AND #version = :expected';
    }
    if (guards.whileHolding !== undefined) {
      names['#lock'] = 'operation';
      names['#lockId'] = 'id';
      values[':holder'] = guards.whileHolding;
      guard += ' AND #lock.#lockId = :holder';
    }
    const assignments: string[] = ['#version = #version + :one'];
    Object.entries(set).forEach(([k, v], n) => {
      if (v === undefined) return;
      names[`#f${n}`] = k;
      values[`:v${n}`] = v;
      assignments.push(`#f${n} = :v${n}`);
    });
    const stateValues = from.map((s, n) => {
      values[`:s${n}`] = s;
      return `:s${n}`;
    });
    remove.forEach((r, n) => (names[`#r${n}`] = r));
    const removeClause = remove.length ? ` REMOVE ${remove.map((_, n) => `#r${n}`).join(', ')}` : '';
    try {
      const res = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${assignments.join(', ')}${removeClause}`,
          ConditionExpression: `attribute_exists(PK) AND #state IN (${stateValues.join(', ')})${guard}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return res.Attributes ?? {};
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const current = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      if (!current.Item) throw new NotFoundError(`${what} does not exist`);
      const state = String(current.Item['state']);
      if (!from.includes(state)) {
        throw new InvalidStateError(`${what} is ${state}; expected ${from.join(' or ')}`);
      }
      throw new ConcurrentUpdateError(`${what} was changed by another writer`);
    }
  }

  private async metaItem(id: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys(id, 'META'), ConsistentRead: true }));
    return res.Item;
  }

  private async mustGet(id: string): Promise<Provision> {
    const p = await this.get(id);
    if (!p) throw new NotFoundError(`provision ${id} does not exist`);
    return p;
  }
}

function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, ...rest } = item;
  return rest;
}

function pick(item: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (item[f] !== undefined) out[f] = item[f];
  return out;
}
