import type { HostPlan } from '../plan';

/** Provider-side lifecycle of a machine, normalised across providers. */
export type ProviderHostStatus = 'pending' | 'running' | 'stopping' | 'stopped' | 'terminated' | 'failed';

/** What a provider knows about one machine. */
export interface ProviderHost {
  providerId: string;
  name: string;
  status: ProviderHostStatus;
  /**
   * The provider's own word on the status when it adds something, e.g. why a
   * machine failed (`Server.InsufficientInstanceCapacity`) or which status
   * checks are pending; for messages only, never for decisions.
   */
  statusReason?: string;
  /** Where SSH reaches the machine (public address, or loopback for simulated hosts). */
  sshHost?: string;
  sshPort?: number;
  publicIp?: string;
  privateIp?: string;
  /** Primary network interface (EC2 ENI id), needed by IPAMs that route through it. */
  interfaceId?: string;
  tags: Record<string, string>;
}

/** Input of {@link ProviderDriver.allocate}. */
export interface AllocateRequest {
  provisionId: string;
  host: HostPlan;
  /** Public key the host must accept for the configuration runner. */
  sshPublicKey?: string;
  /** Provider infrastructure created by {@link ProviderDriver.ensureInfrastructure}. */
  infrastructure?: Record<string, string>;
}

/**
 * The contract every infrastructure provider implements (sim, aws, onprem).
 * Every mutating call is idempotent: `allocate` with the same key returns the
 * same machine; `release` of an unknown id succeeds.
 */
export interface ProviderDriver {
  /** Registry name, e.g. `aws`. */
  readonly name: string;
  /** Checks credentials and settings with a cheap read-only call. */
  validateConnection(): Promise<void>;
  /** Creates (idempotently) what all hosts of a provision share: VPC, subnet, security group... */
  ensureInfrastructure(provisionId: string): Promise<Record<string, string>>;
  /** Removes what {@link ensureInfrastructure} created; idempotent. */
  removeInfrastructure(provisionId: string, infrastructure: Record<string, string>): Promise<void>;
  /** Allocates one host; a retry with the same key never makes a second one. */
  allocate(request: AllocateRequest, idempotencyKey: string): Promise<ProviderHost>;
  /** Current state of the given machines; unknown ids are left out. */
  describe(providerIds: string[]): Promise<ProviderHost[]>;
  powerOff(providerId: string): Promise<void>;
  reboot(providerId: string): Promise<void>;
  resume(providerId: string): Promise<void>;
  /** Releases machines; unknown or already released ids succeed. */
  release(providerIds: string[]): Promise<void>;
  /** Every live machine tagged with the provision id (compensation and leak audits). */
  list(provisionId: string): Promise<ProviderHost[]>;
}
