import type { HostRecord, OperationRecord, Provision, ProvisionLogEntry, ProvisionOperation, ProvisionState, HostState } from '../model';

/** A page of results and the cursor for the next one. */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** What `list` returns per provision. */
export type ProvisionSummary = Pick<Provision, 'id' | 'owner' | 'name' | 'state' | 'createdAt' | 'updatedAt'> & {
  hostCount: number;
};

/** A provision without its hosts: what the META item holds. */
export type ProvisionMeta = Omit<Provision, 'hosts'>;

/** What a host step may learn about the other hosts: enough for VXLAN peers and the first host. */
export type HostSummary = Pick<HostRecord, 'index' | 'name' | 'state' | 'privateIp'>;

/** Fields of the META item a transition may change besides the state. */
export type ProvisionPatch = Partial<
  Pick<
    Provision,
    | 'cluster'
    | 'datastores'
    | 'networks'
    | 'infrastructure'
    | 'executionId'
    | 'failedStep'
    | 'error'
    | 'plan'
    | 'leftovers'
    | 'deletion'
    | 'operations'
  >
> & {
  clearError?: boolean;
  /** Fields to remove (objects that no longer exist after a rollback; `operation`: the lock, released with the change). */
  remove?: Array<'cluster' | 'infrastructure' | 'leftovers' | 'operation'>;
  /** The write applies only while this operation holds the lock (a release in the same write as the state change). */
  whileHolding?: string;
};

/** Fields of a HOST item an update may change besides the state. */
export type HostPatch = Partial<Omit<HostRecord, 'index' | 'name' | 'version' | 'updatedAt'>> & {
  clearError?: boolean;
  /** Fields to remove (what a host released by a rollback no longer has). */
  remove?: Array<
    'providerId' | 'sshHost' | 'sshPort' | 'privateIp' | 'oneId' | 'hostKey' | 'facts' | 'nextRole' | 'timings' | 'pausedVms' | 'failedStep'
  >;
  /** Write only if the record still has this version (ConcurrentUpdateError otherwise). */
  ifVersion?: number;
};

/**
 * Persistence of provisions, hosts and their event logs. Every state change is
 * a conditional write naming the states it expects, so two executions can never
 * both move the same provision or host: the loser gets ConcurrentUpdateError
 * (version moved) or InvalidStateError (state is not one expected).
 */
export interface ProvisionStore {
  /** Creates META and HOST items; fails with InvalidStateError if the id exists. */
  create(provision: Provision): Promise<void>;
  /** The whole document (META + hosts), or undefined. Reads every host: per-host steps use `getMeta` and `getHost`. */
  get(id: string): Promise<Provision | undefined>;
  /** The provision without its hosts (one item), or undefined. */
  getMeta(id: string): Promise<ProvisionMeta | undefined>;
  /** Index, name, state and underlay address of every host, in index order (one query, only those attributes). */
  hostSummaries(id: string): Promise<HostSummary[]>;
  list(filter: { owner?: string; state?: ProvisionState; limit?: number; cursor?: string }): Promise<Page<ProvisionSummary>>;
  /** Moves the provision from one of `from` to `to`, applying `patch`. */
  transition(id: string, from: readonly ProvisionState[], to: ProvisionState, patch?: ProvisionPatch): Promise<Provision>;
  /** Changes META fields without a state change (expects the state to be one of `in`). */
  patch(id: string, inStates: readonly ProvisionState[], patch: ProvisionPatch): Promise<Provision>;
  /**
   * Takes the operation lock (the META item's `operation`) if nobody holds it
   * and the provision is in one of `inStates`, in one conditional write.
   * Fails with OperationInProgressError naming the holder, InvalidStateError,
   * or NotFoundError. Returns the provision as locked.
   */
  acquireOperation(id: string, operation: ProvisionOperation, options: { inStates: readonly ProvisionState[] }): Promise<Provision>;
  /** Records the execution running the operation; false when the operation no longer holds the lock. */
  setOperationExecution(id: string, operationId: string, executionId: string): Promise<boolean>;
  /**
   * Releases the lock when the given operation (by id, or by execution name)
   * holds it, adding `record` to the recent history; false when it does not
   * hold it (released already, or never taken: an execution started without
   * the lock).
   */
  releaseOperation(id: string, holder: { operationId?: string; executionName?: string }, record?: OperationRecord): Promise<boolean>;
  /**
   * Reserves a name for a provision with a conditional write: returns
   * undefined when the provision holds it now (also when it already did), or
   * the id of the provision holding it. With `replacing`, takes it over from
   * that holder only (a deleted provision's stale reservation).
   */
  reserveName(key: string, provisionId: string, options?: { replacing?: string }): Promise<string | undefined>;
  /** Gives a name back, if this provision holds it. */
  releaseName(key: string, provisionId: string): Promise<void>;
  /** Adds hosts (scale out); each must not exist yet. */
  addHosts(id: string, hosts: HostRecord[]): Promise<void>;
  getHost(id: string, index: number): Promise<HostRecord | undefined>;
  /** Moves a host from one of `from` to `to` (or keeps the state when `to` is undefined). */
  updateHost(id: string, index: number, from: readonly HostState[], to: HostState | undefined, patch?: HostPatch): Promise<HostRecord>;
  /** Appends to the provision's event log; returns the entry with its sequence. */
  appendLog(id: string, type: string, detail: Record<string, unknown>): Promise<ProvisionLogEntry>;
  /** Event log in order, after the given sequence cursor. */
  log(id: string, options?: { after?: string; limit?: number }): Promise<Page<ProvisionLogEntry>>;
}
