import { EVENT_SOURCE, type DetailType, type EventPublisher } from './ports/events';
import type { ProvisionStore } from './ports/store';

/** Version of every event detail schema in docs/events/. */
export const EVENT_SCHEMA_VERSION = '1';

/**
 * Records a lifecycle event twice: in the provision's own append-only log
 * (what `edgectl events` shows) and on the event bus (what rules react to).
 */
export class Lifecycle {
  constructor(
    private readonly store: ProvisionStore,
    private readonly publisher: EventPublisher,
  ) {}

  async emit(provisionId: string, detailType: DetailType, detail: Record<string, unknown> = {}): Promise<void> {
    const full = { version: EVENT_SCHEMA_VERSION, provisionId, ...detail };
    const entry = await this.store.appendLog(provisionId, detailType, full);
    await this.publisher.publish([{ Source: EVENT_SOURCE, DetailType: detailType, Detail: full, Time: new Date(entry.at) }]);
  }

  /** A log line that is not a lifecycle event (role output, progress); not published. */
  async note(provisionId: string, type: string, detail: Record<string, unknown>): Promise<void> {
    await this.store.appendLog(provisionId, type, detail);
  }
}
