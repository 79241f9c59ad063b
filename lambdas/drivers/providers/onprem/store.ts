/**
 * Where the on-prem drivers keep what they registered (hosts, address
 * leases), since there is no provider API to ask. Values are small JSON
 * records. `putIfAbsent` is the only write that must be atomic (a conditional
 * put in DynamoDB): it is how two concurrent requests are kept from claiming
 * the same host or address.
 */
export interface OnpremStore {
  get<T extends object>(key: string): Promise<T | undefined>;
  put<T extends object>(key: string, value: T): Promise<void>;
  /** Writes only when the key is free; false when it was taken. */
  putIfAbsent<T extends object>(key: string, value: T): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Every record whose key starts with the prefix. */
  list<T extends object>(prefix: string): Promise<T[]>;
}

/** In-process store: the default, and what tests and the sandbox use. */
export class MemoryOnpremStore implements OnpremStore {
  private readonly items = new Map<string, string>();

  async get<T extends object>(key: string): Promise<T | undefined> {
    const raw = this.items.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async put<T extends object>(key: string, value: T): Promise<void> {
    this.items.set(key, JSON.stringify(value));
  }

  async putIfAbsent<T extends object>(key: string, value: T): Promise<boolean> {
    if (this.items.has(key)) return false;
    this.items.set(key, JSON.stringify(value));
    return true;
  }

  async delete(key: string): Promise<void> {
    this.items.delete(key);
  }

  async list<T extends object>(prefix: string): Promise<T[]> {
    return [...this.items].filter(([k]) => k.startsWith(prefix)).map(([, v]) => JSON.parse(v) as T);
  }
}
