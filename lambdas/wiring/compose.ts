import { Lifecycle } from '../provisioning/lifecycle';
import type { Deps } from '../provisioning/ports/deps';
import type { PortGroup, PortGroupName, PortGroupPorts, PortSource } from './port-groups';

/**
 * A function used a port of a group it did not declare. A wiring defect,
 * not an operational failure: in AWS the group's libraries would be missing
 * from the bundle, so the sandbox refuses it the same way.
 */
export class PortNotDeclaredError extends Error {
  constructor(
    readonly functionName: string,
    readonly group: PortGroupName,
  ) {
    super(`${functionName} uses the '${group}' ports but does not declare them (add the group from lambdas/wiring/aws/ to its handler)`);
    this.name = 'PortNotDeclaredError';
  }
}

/**
 * The `Deps` a function's use cases take, restricted to the groups it
 * declares. Every port is built on first use: a step that never reads a
 * secret never builds the Secrets Manager client. Building goes through the
 * source, which keeps what it built (and never a failure).
 */
export function composeDeps(source: PortSource, declared: readonly PortGroup[], functionName: string): Deps {
  const groups = new Map<PortGroupName, PortGroup>(declared.map((g) => [g.name, g]));
  const use = <K extends PortGroupName>(name: K): PortGroupPorts[K] => {
    const group = groups.get(name) as PortGroup<K> | undefined;
    if (!group) throw new PortNotDeclaredError(functionName, name);
    return source.build(group);
  };
  let lifecycle: Lifecycle | undefined;
  return {
    get store() {
      return use('table').store;
    },
    get schedules() {
      return use('schedules').schedules;
    },
    get lifecycle() {
      // Notes only need the table; publishing needs the events group, resolved when an event is emitted.
      lifecycle ??= new Lifecycle(use('table').store, { publish: (events) => use('events').publisher.publish(events) });
      return lifecycle;
    },
    get secrets() {
      return use('secrets').secrets;
    },
    get providers() {
      return use('drivers').providers;
    },
    get ipams() {
      return use('drivers').ipams;
    },
    openNebula: async (provision) => use('openNebula').openNebula(provision),
    get hostConfigurator() {
      return use('hostConfig').hostConfigurator;
    },
    get workflows() {
      return use('workflows').workflows;
    },
    get scheduler() {
      return use('scheduling').scheduler;
    },
    get eventRules() {
      return use('scheduling').eventRules;
    },
    get settings() {
      return source.settings();
    },
    now: () => source.now(),
  };
}

/**
 * A source that builds each group once and keeps it; a build that throws
 * (a missing variable, say) is not kept, so the next use tries again.
 */
export function memoizedSource(
  build: <K extends PortGroupName>(group: PortGroup<K>) => PortGroupPorts[K],
  rest: Pick<PortSource, 'settings' | 'now'>,
): PortSource {
  const built = new Map<PortGroupName, unknown>();
  return {
    build<K extends PortGroupName>(group: PortGroup<K>): PortGroupPorts[K] {
      if (!built.has(group.name)) built.set(group.name, build(group));
      return built.get(group.name) as PortGroupPorts[K];
    },
    settings: rest.settings,
    now: rest.now,
  };
}
