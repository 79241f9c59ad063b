/** Provider names the registry accepts (aliases map to one driver). */
export const SUPPORTED_PROVIDERS = ['sim', 'aws', 'ec2', 'onprem'] as const;

/** Providers that existed in oneprovision but are gone, with why. */
export const RETIRED_PROVIDERS: Readonly<Record<string, string>> = {
  packet: 'Packet became Equinix Metal, which was shut down on 2026-06-30',
  equinix: 'Equinix Metal was shut down on 2026-06-30',
};

/** True when the name is one the registry can build a driver for. */
export function isSupportedProvider(name: string): boolean {
  return (SUPPORTED_PROVIDERS as readonly string[]).includes(name);
}
