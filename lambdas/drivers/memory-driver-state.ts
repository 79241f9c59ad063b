import type { DriverStateStore } from '../provisioning/ports/driver-state';

/**
 * Driver state held in this process only: for unit tests and one-shot local
 * tools. Deployed functions and the sandbox use the provision table, since a
 * record must outlive the process that wrote it.
 */
export class MemoryDriverStateStore implements DriverStateStore {
  private readonly items = new Map<string, string>();

  async get<T extends object>(kind: string, id: string): Promise<T | undefined> {
    const raw = this.items.get(key(kind, id));
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async put<T extends object>(kind: string, id: string, value: T): Promise<void> {
    this.items.set(key(kind, id), JSON.stringify(value));
  }

  async putIfAbsent<T extends object>(kind: string, id: string, value: T): Promise<boolean> {
    if (this.items.has(key(kind, id))) return false;
    this.items.set(key(kind, id), JSON.stringify(value));
    return true;
  }

  async delete(kind: string, id: string): Promise<void> {
    this.items.delete(key(kind, id));
  }

  async list<T extends object>(kind: string): Promise<T[]> {
    const prefix = key(kind, '');
    return [...this.items].filter(([k]) => k.startsWith(prefix)).map(([, v]) => JSON.parse(v) as T);
  }
}

function key(kind: string, id: string): string {
  return `${kind}\0${id}`;
}
