import { RETIRED_PROVIDERS, SUPPORTED_PROVIDERS, isSupportedProvider } from '../provisioning/provider-names';

/** Provider names that are aliases of a registry driver. */
const ALIASES: Readonly<Record<string, string>> = { ec2: 'aws' };

/** The list shown in provider errors, e.g. `sim, aws (also ec2), onprem`. */
export function supportedProvidersText(): string {
  return SUPPORTED_PROVIDERS.filter((name) => !(name in ALIASES))
    .map((name) => {
      const aliases = Object.keys(ALIASES).filter((a) => ALIASES[a] === name);
      return aliases.length ? `${name} (also ${aliases.join(', ')})` : name;
    })
    .join(', ');
}

/** What a provider name means to the registry. */
export type ProviderLookup =
  | { status: 'supported'; name: string }
  | { status: 'retired'; message: string }
  | { status: 'unknown'; message: string };

/** Looks a provider (or IPAM) name up: supported (normalised), retired (with why) or unknown. */
export function lookupProvider(raw: string): ProviderLookup {
  const name = raw.trim().toLowerCase();
  if (isSupportedProvider(name)) return { status: 'supported', name: ALIASES[name] ?? name };
  const retired = RETIRED_PROVIDERS[name];
  if (retired) {
    return {
      status: 'retired',
      message: `provider '${raw}' is retired: ${retired}; supported providers: ${supportedProvidersText()}`,
    };
  }
  return {
    status: 'unknown',
    message: `unknown provider '${raw}': supported providers are ${supportedProvidersText()} (a oneprovision provider document is given with a provider file)`,
  };
}
