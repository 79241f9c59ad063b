/**
 * Faults the sim provider can inject, chosen per host with the provision
 * attribute `sim_fault` (e.g. `provision: { sim_fault: capacity }`) or
 * programmatically by tests.
 */
export const SIM_FAULTS = [
  /** Every allocate fails with ProviderCapacityError. */
  'capacity',
  /** Every allocate fails with ProviderQuotaError. */
  'quota',
  /** The first allocate is throttled; the retry succeeds. */
  'throttle-once',
  /** Allocate succeeds at the provider but the response is lost once (ProviderTransientError). */
  'lost-response',
  /** The machine is created but never becomes running. */
  'never-boots',
  /** The machine boots, then the provider reports it failed. */
  'boot-fails',
] as const;
export type SimFault = (typeof SIM_FAULTS)[number];

/** Faults the sim IPAM can inject into address requests. */
export const SIM_IPAM_FAULTS = [
  /** The account's address quota is used up (IpamExhaustedError). */
  'exhausted',
  /** The request is throttled once per use (ProviderThrottledError); a retry succeeds. */
  'throttle',
] as const;
export type SimIpamFault = (typeof SIM_IPAM_FAULTS)[number];

/** Parses a `sim_fault` attribute value; unknown names are ignored by the caller's validation. */
export function parseSimFault(value: string | undefined): SimFault | undefined {
  return (SIM_FAULTS as readonly string[]).includes(value ?? '') ? (value as SimFault) : undefined;
}
