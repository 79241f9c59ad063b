import type { Deps } from '../provisioning/ports/deps';
import { awsPortSource } from './aws/source';
import { composeDeps } from './compose';
import type { PortGroup, PortSource } from './port-groups';

let local: PortSource | undefined;
let aws: PortSource | undefined;
const views = new WeakMap<PortSource, Map<string, Deps>>();

/**
 * Points every handler of this process at local engines (the sandbox), or
 * back at AWS with `undefined`. Call before the first invocation.
 */
export function useLocalPorts(source: PortSource | undefined): void {
  local = source;
}

/**
 * The ports of one function: the groups its handler declares, from the
 * local engines when the sandbox installed them, else from AWS clients
 * built once per cold start.
 */
export function portsFor(functionName: string, groups: readonly PortGroup[]): Deps {
  const source = local ?? (aws ??= awsPortSource());
  let byFunction = views.get(source);
  if (!byFunction) views.set(source, (byFunction = new Map()));
  let deps = byFunction.get(functionName);
  if (!deps) byFunction.set(functionName, (deps = composeDeps(source, groups, functionName)));
  return deps;
}
