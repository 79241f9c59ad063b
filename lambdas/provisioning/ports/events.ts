/** Source of every lifecycle event. */
export const EVENT_SOURCE = 'edge-provisioner';

/** Lifecycle event detail-types (DESIGN §7). */
export const DETAIL_TYPES = [
  'Provision Requested',
  'Provision Running',
  'Provision Degraded',
  'Provision Failed',
  'Provision Deleting',
  'Provision Deleted',
  'Provision Expired',
  'Host Allocated',
  'Host Configured',
  'Host Registered',
  'Host Failed',
  'Host Released',
  'Ip Assigned',
  'Ip Released',
  'Operation Started',
  'Operation Succeeded',
  'Operation Failed',
  'Host Added',
  'Host Removed',
  'Host Powered Off',
  'Host Rebooted',
  'Host Resumed',
  'Ip Added',
  'Ip Removed',
] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

/** One event in EventBridge `PutEvents` entry shape. */
export interface LifecycleEvent {
  Source: string;
  DetailType: DetailType | string;
  /** JSON object; always carries `provisionId` and `version` (schema version). */
  Detail: Record<string, unknown>;
  Time?: Date;
}

/** Publishes lifecycle events (EventBridge in AWS, the local bus in the sandbox). */
export interface EventPublisher {
  publish(events: LifecycleEvent[]): Promise<void>;
}
