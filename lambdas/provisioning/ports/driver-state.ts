/**
 * What drivers remember where the provider has no API to ask: on-prem hosts,
 * their address claims, leases of a static address pool. Records are small
 * JSON objects grouped by `kind` (`onprem-host`, `onprem-lease`, …) and keyed
 * by `id` within it. In AWS they live in the provision table, so a record
 * written by one function (AllocateHost) is read by another (CheckHostReady)
 * and survives every cold start.
 */
export interface DriverStateStore {
  get<T extends object>(kind: string, id: string): Promise<T | undefined>;
  put<T extends object>(kind: string, id: string, value: T): Promise<void>;
  /**
   * Writes only when the id is free; false when it was taken. The one write
   * that must be atomic (a conditional put): it is how two concurrent
   * requests are kept from claiming the same host or address.
   */
  putIfAbsent<T extends object>(kind: string, id: string, value: T): Promise<boolean>;
  /** Removes a record; a missing one is not an error. */
  delete(kind: string, id: string): Promise<void>;
  /** Every record of a kind. */
  list<T extends object>(kind: string): Promise<T[]>;
}
