import type { Deps } from '../provisioning/ports/deps';

type DepsFactory = () => Promise<Deps>;

let factory: DepsFactory | undefined;
let cached: Promise<Deps> | undefined;

/**
 * Chooses how handlers get their ports: the AWS composition in Lambda (built
 * once per cold start), or the sandbox's local engines. Call before the first
 * invocation.
 */
export function setDepsFactory(f: DepsFactory): void {
  factory = f;
  cached = undefined;
}

/** The ports of this process, built once. */
export function getDeps(): Promise<Deps> {
  if (!cached) {
    const f: DepsFactory =
      factory ??
      (async () => {
        // Loaded lazily so the sandbox and tests never construct AWS clients.
        const { buildAwsDeps } = await import('./aws-deps');
        return buildAwsDeps();
      });
    cached = f().catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
  }
  return cached;
}
