import { ConcurrentUpdateError } from '../lambdas/shared/errors';
import { PROVISION_STATES, HOST_STATES } from '../lambdas/provisioning/model';
import type { ProvisionStore } from '../lambdas/provisioning/ports/store';

/**
 * The sandbox's store with a rehearsable fault: a concurrent writer. While
 * armed, the next conditional writes of a provision or host lose the race —
 * another writer changes the item (its version moves) first, and the write
 * fails with ConcurrentUpdateError, as a lost DynamoDB condition does. What
 * every caller must survive (the machines retry it).
 */
export class ConflictingStore implements ProvisionStore {
  private armed = 0;

  constructor(private readonly inner: ProvisionStore) {}

  /** The next `n` conditional writes lose to a concurrent writer. */
  conflicts(n: number): void {
    this.armed += n;
  }

  /** Conflicts still armed. */
  pendingConflicts(): number {
    return this.armed;
  }

  clear(): void {
    this.armed = 0;
  }

  private async lose(id: string, index?: number): Promise<void> {
    if (this.armed <= 0) return;
    this.armed -= 1;
    // The other writer's change is real: the item's version moves.
    if (index === undefined) await this.inner.patch(id, PROVISION_STATES, {}).catch(() => undefined);
    else await this.inner.updateHost(id, index, HOST_STATES, undefined, {}).catch(() => undefined);
    throw new ConcurrentUpdateError(
      `${index === undefined ? `provision ${id}` : `host ${index} of provision ${id}`} was changed by another writer`,
    );
  }

  create: ProvisionStore['create'] = (p) => this.inner.create(p);
  get: ProvisionStore['get'] = (id) => this.inner.get(id);
  getMeta: ProvisionStore['getMeta'] = (id) => this.inner.getMeta(id);
  hostSummaries: ProvisionStore['hostSummaries'] = (id) => this.inner.hostSummaries(id);
  list: ProvisionStore['list'] = (f) => this.inner.list(f);
  transition: ProvisionStore['transition'] = async (id, from, to, patch) => {
    await this.lose(id);
    return this.inner.transition(id, from, to, patch);
  };
  patch: ProvisionStore['patch'] = async (id, states, patch) => {
    await this.lose(id);
    return this.inner.patch(id, states, patch);
  };
  acquireOperation: ProvisionStore['acquireOperation'] = (id, op, o) => this.inner.acquireOperation(id, op, o);
  setOperationExecution: ProvisionStore['setOperationExecution'] = (id, op, ex) => this.inner.setOperationExecution(id, op, ex);
  releaseOperation: ProvisionStore['releaseOperation'] = (id, h, r) => this.inner.releaseOperation(id, h, r);
  reserveName: ProvisionStore['reserveName'] = (k, id, o) => this.inner.reserveName(k, id, o);
  releaseName: ProvisionStore['releaseName'] = (k, id) => this.inner.releaseName(k, id);
  addHosts: ProvisionStore['addHosts'] = (id, hosts) => this.inner.addHosts(id, hosts);
  getHost: ProvisionStore['getHost'] = (id, index) => this.inner.getHost(id, index);
  updateHost: ProvisionStore['updateHost'] = async (id, index, from, to, patch) => {
    await this.lose(id, index);
    return this.inner.updateHost(id, index, from, to, patch);
  };
  appendLog: ProvisionStore['appendLog'] = (id, type, detail) => this.inner.appendLog(id, type, detail);
  log: ProvisionStore['log'] = (id, options) => this.inner.log(id, options);
}
