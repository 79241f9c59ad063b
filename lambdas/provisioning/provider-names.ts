/** Provider names the registry accepts (aliases map to one driver). */
export const SUPPORTED_PROVIDERS = ['sim', 'aws', 'ec2', 'onprem'] as const;

/**
 * Names the provider and IPAM registries build, in their order (a test checks
 * the registries against it), for callers that list them without building
 * drivers (`GET /providers`).
 */
export const REGISTRY_NAMES = { providers: ['aws', 'ec2', 'onprem', 'sim'], ipams: ['aws', 'ec2', 'onprem', 'sim'] } as const;

/** Providers that existed in oneprovision but are gone, with why. */
export const RETIRED_PROVIDERS: Readonly<Record<string, string>> = {
  packet: 'Packet became Equinix Metal, which was shut down on 2026-06-30',
  equinix: 'Equinix Metal was shut down on 2026-06-30',
};

/** True when the name is one the registry can build a driver for. */
export function isSupportedProvider(name: string): boolean {
  return (SUPPORTED_PROVIDERS as readonly string[]).includes(name);
}
