import type { ConfigureRequest, ConfigureResult, HostConfigurator, HostTarget } from '../../lambdas/provisioning/ports/host-configurator';

const ROLES = ['os', 'repository', 'packages', 'keys', 'firewall', 'bridge', 'overlay', 'facts'] as const;

/**
 * A host configurator for domain tests: records what it was asked, runs
 * `rolesPerCall` roles per invocation (to exercise the machine's resume loop)
 * and can fail a chosen host's role.
 */
export class RecordingConfigurator implements HostConfigurator {
  readonly configured: ConfigureRequest[] = [];
  readonly peerSets = new Map<string, string[]>();
  private failures = 0;

  constructor(
    private options: {
      rolesPerCall?: number;
      failHost?: string;
      failRole?: string;
      errorName?: string;
      failTimes?: number;
      /** This host cannot be reached when its overlay peers are written (`unreachablePeersTimes` times). */
      unreachableForPeers?: string;
      unreachablePeersTimes?: number;
    } = {},
  ) {}

  /** From now on, fails `host` at `role` (e.g. a role changed after creation). */
  failFrom(failHost: string, failRole: string, errorName = 'RoleFailedError'): void {
    this.options = { ...this.options, failHost, failRole, errorName };
    this.failures = 0;
  }

  roles(): readonly string[] {
    return ROLES;
  }

  async configure(
    request: ConfigureRequest,
    log: (l: { role: string; stream: 'stdout' | 'stderr'; text: string }) => void,
  ): Promise<ConfigureResult> {
    this.configured.push(request);
    const start = request.fromRole ? ROLES.indexOf(request.fromRole as (typeof ROLES)[number]) : 0;
    const per = this.options.rolesPerCall ?? ROLES.length;
    const run = ROLES.slice(start, start + per);
    for (const role of run) {
      if (
        request.target.hostName === this.options.failHost &&
        role === (this.options.failRole ?? 'packages') &&
        this.failures < (this.options.failTimes ?? Infinity)
      ) {
        this.failures += 1;
        throw Object.assign(new Error(`role ${role} failed on ${request.target.hostName}`), {
          name: this.options.errorName ?? 'RoleFailedError',
          role,
        });
      }
      log({ role, stream: 'stdout', text: `${role}: changed` });
    }
    const next = ROLES[start + run.length];
    return {
      done: next === undefined,
      nextRole: next,
      hostKey: `ssh-ed25519 AAAAkey-${request.target.hostName}`,
      facts: { default_ipv4_nic: 'eth0', cpu: '8', memory_mb: '32768' },
      rolesRun: run.map((role) => ({ role, changed: true, durationMs: 1 })),
    };
  }

  private peerFailures = 0;

  async setPeers(target: HostTarget, peers: string[]): Promise<void> {
    if (target.hostName === this.options.unreachableForPeers && this.peerFailures < (this.options.unreachablePeersTimes ?? Infinity)) {
      this.peerFailures += 1;
      throw Object.assign(new Error(`host ${target.hostName} not reachable over SSH: connect ECONNREFUSED`), {
        name: 'HostUnreachableError',
      });
    }
    this.peerSets.set(target.hostName, [...peers].sort());
  }
}
