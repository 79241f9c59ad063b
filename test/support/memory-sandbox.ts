import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { MemoryOpenNebula } from '../fakes/memory-opennebula';
import { RecordingConfigurator } from '../fakes/recording-configurator';
import { expectEventsMatchSchemas } from './event-schemas';

/**
 * A sandbox whose OpenNebula and host configuration are in-memory fakes
 * (domain-level machine tests). Closing it checks every event it put on the
 * bus against its published schema in docs/events/.
 */
export async function startMemorySandbox(
  options: { configurator?: RecordingConfigurator; timeScale?: number; addressQuota?: number } = {},
): Promise<Sandbox & { memoryOne: MemoryOpenNebula; configurator: RecordingConfigurator }> {
  const memoryOne = new MemoryOpenNebula();
  const configurator = options.configurator ?? new RecordingConfigurator({ rolesPerCall: 3 });
  const sandbox = await startSandbox({
    timeScale: options.timeScale ?? 0.0002,
    ...(options.addressQuota !== undefined ? { cloud: { addressQuota: options.addressQuota } } : {}),
    openNebula: async () => ({ port: memoryOne, close: async () => undefined }),
    hostConfigurator: async () => ({ configurator, close: async () => undefined }),
  });
  const close = sandbox.close;
  return Object.assign(sandbox, {
    memoryOne,
    configurator,
    close: async () => {
      await close();
      expectEventsMatchSchemas(sandbox.bus.events);
    },
  });
}
