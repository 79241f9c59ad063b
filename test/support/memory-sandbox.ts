import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { MemoryOpenNebula } from '../fakes/memory-opennebula';
import { RecordingConfigurator } from '../fakes/recording-configurator';

/** A sandbox whose OpenNebula and host configuration are in-memory fakes (domain-level machine tests). */
export async function startMemorySandbox(options: { configurator?: RecordingConfigurator; timeScale?: number } = {}): Promise<
  Sandbox & { memoryOne: MemoryOpenNebula; configurator: RecordingConfigurator }
> {
  const memoryOne = new MemoryOpenNebula();
  const configurator = options.configurator ?? new RecordingConfigurator({ rolesPerCall: 3 });
  const sandbox = await startSandbox({
    timeScale: options.timeScale ?? 0.0002,
    openNebula: async () => ({ port: memoryOne, close: async () => undefined }),
    hostConfigurator: async () => ({ configurator, close: async () => undefined }),
  });
  return Object.assign(sandbox, { memoryOne, configurator });
}
