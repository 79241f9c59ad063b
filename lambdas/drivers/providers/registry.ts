import * as z from '../../shared/schema';
import { ProviderConfigError, RetiredProviderError, UnknownProviderError } from '../../shared/errors';
import type { DriverRegistry } from '../../provisioning/ports/driver-registry';
import type { SecretStore } from '../../provisioning/ports/secrets';
import type { ProviderRef } from '../../provisioning/plan';
import { RETIRED_PROVIDERS, SUPPORTED_PROVIDERS } from '../../provisioning/provider-names';

/** How to build one driver: the connection keys it requires and a constructor. */
export interface DriverEntry<T> {
  /** Required connection keys (settings merged with the referenced secret). */
  schema: z.Schema<Record<string, unknown>>;
  create(connection: Record<string, string>): T | Promise<T>;
}

/**
 * An explicit registry of drivers by provider name. Resolving a retired name
 * (packet, equinix) or an unknown one throws a named error that says which
 * providers exist; connection keys are checked before any driver call.
 */
export class ExplicitDriverRegistry<T> implements DriverRegistry<T> {
  /**
   * @param refused names known to the system that this deployment does not
   *   accept, with why (the sandbox's real providers outside local mode).
   */
  constructor(
    private readonly kind: string,
    private readonly entries: Readonly<Record<string, DriverEntry<T>>>,
    private readonly refused: Readonly<Record<string, string>> = {},
  ) {}

  /** Names this registry can build. */
  names(): string[] {
    return Object.keys(this.entries).filter((name) => !(name in this.refused));
  }

  refusal(name: string): string | undefined {
    try {
      this.entry(name);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** Builds the driver for a plan's provider reference, reading its secret if referenced. */
  async create(ref: Pick<ProviderRef, 'name' | 'connectionRef' | 'settings'>, secrets?: SecretStore): Promise<T> {
    const entry = this.entry(ref.name);
    const secret = ref.connectionRef && secrets ? await secrets.get(ref.connectionRef) : {};
    const connection = { ...ref.settings, ...secret };
    const parsed = z.safeParse(entry.schema, connection);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(connection)'}: ${i.message}`).join('; ');
      throw new ProviderConfigError(`${this.kind} '${ref.name}' connection is invalid: ${problems}`);
    }
    return entry.create(connection);
  }

  private entry(name: string): DriverEntry<T> {
    const refused = this.refused[name];
    if (refused !== undefined) throw new ProviderConfigError(refused);
    const retired = RETIRED_PROVIDERS[name];
    if (retired) {
      throw new RetiredProviderError(`provider '${name}' is retired (${retired}); supported providers: ${SUPPORTED_PROVIDERS.join(', ')}`);
    }
    const entry = this.entries[name];
    if (!entry) {
      throw new UnknownProviderError(`unknown ${this.kind} '${name}'; supported: ${this.names().join(', ')}`);
    }
    return entry;
  }
}
