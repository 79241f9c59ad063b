import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { NotFoundError } from '../lambdas/shared/errors';
import type { SecretStore } from '../lambdas/provisioning/ports/secrets';

/**
 * The sandbox's secret store: one JSON file readable only by its owner
 * (mode 0600), standing in for Secrets Manager. References look like
 * `local:NAME`.
 */
export class FileSecretStore implements SecretStore {
  private readonly memory = new Map<string, Record<string, string>>();

  constructor(private readonly path?: string) {
    this.reload();
  }

  async get(ref: string): Promise<Record<string, string>> {
    const name = ref.replace(/^local:/, '');
    // edgectl may have stored a descriptor's credentials since this process started.
    if (!this.memory.has(name)) this.reload();
    const value = this.memory.get(name);
    if (!value) throw new NotFoundError(`secret ${ref} does not exist in the sandbox secret store`);
    return { ...value };
  }

  private reload(): void {
    if (!this.path || !existsSync(this.path)) return;
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, Record<string, string>>))
      this.memory.set(k, v);
  }

  async delete(ref: string): Promise<void> {
    this.reload();
    if (this.memory.delete(ref.replace(/^local:/, ''))) this.save();
  }

  async put(name: string, value: Record<string, string>): Promise<string> {
    this.reload();
    this.memory.set(name, { ...value });
    this.save();
    return `local:${name}`;
  }

  private save(): void {
    if (!this.path) return;
    writeFileSync(`${this.path}.tmp`, JSON.stringify(Object.fromEntries(this.memory)), { mode: 0o600 });
    renameSync(`${this.path}.tmp`, this.path);
  }
}
