import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { Scheduler, ScheduledEvent } from '../provisioning/ports/scheduler';

/** Where schedules live and what they may reach. */
export interface EventBridgeSchedulerConfig {
  /** Schedule group of the system. */
  groupName?: string;
  /** Role EventBridge Scheduler assumes to put events and invoke the scheduled-create function. */
  roleArn?: string;
  /** The event bus TTL schedules put `Provision Expired` on. */
  busArn?: string;
  /** The function recurring schedules invoke (`lambdas/handlers/scheduled-create.ts`). */
  scheduledCreateFunctionArn?: string;
}

/** A function without the settings for schedules was asked to manage one (a deployment mistake). */
export class SchedulerConfigError extends Error {
  constructor(missing: string[]) {
    super(`scheduling is not configured: ${missing.join(', ')} missing from the environment`);
    this.name = 'SchedulerConfigError';
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the second. */
export function atExpression(at: Date): string {
  const whole = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return `at(${whole.toISOString().slice(0, 19)})`;
}

/**
 * Scheduler on EventBridge Scheduler. A TTL is a one-time `at()` schedule
 * whose target is the bus (PutEvents of `Provision Expired`) and which
 * deletes itself after it fired; a recurring creation is a `cron()` schedule
 * invoking the scheduled-create function with the schedule id and the due
 * time, from which that function derives the provision id.
 */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly config: EventBridgeSchedulerConfig,
  ) {}

  async putEventAt(name: string, at: Date, event: ScheduledEvent): Promise<void> {
    const { groupName, roleArn, busArn } = this.need('groupName', 'roleArn', 'busArn');
    await this.upsert({
      Name: name,
      GroupName: groupName,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: busArn,
        RoleArn: roleArn,
        Input: JSON.stringify(event.detail),
        EventBridgeParameters: { Source: event.source, DetailType: event.detailType },
      },
    });
  }

  async putRecurringCreate(name: string, cron: string, timezone: string, scheduleId: string): Promise<void> {
    const { groupName, roleArn, scheduledCreateFunctionArn } = this.need('groupName', 'roleArn', 'scheduledCreateFunctionArn');
    await this.upsert({
      Name: name,
      GroupName: groupName,
      ScheduleExpression: cron,
      ScheduleExpressionTimezone: timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: scheduledCreateFunctionArn,
        RoleArn: roleArn,
        // Scheduler fills in the context attribute at each run.
        Input: JSON.stringify({ scheduleId, scheduledTime: '<aws.scheduler.scheduled-time>' }),
      },
    });
  }

  async remove(name: string): Promise<void> {
    const { groupName } = this.need('groupName');
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName }));
    } catch (err) {
      // Already gone: a fired one-time schedule deletes itself.
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }

  private async upsert(input: CreateScheduleCommandInput): Promise<void> {
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  private need<K extends keyof EventBridgeSchedulerConfig>(...keys: K[]): Required<Pick<EventBridgeSchedulerConfig, K>> {
    const missing = keys.filter((k) => !this.config[k]);
    if (missing.length) throw new SchedulerConfigError(missing.map(envNameOf));
    return this.config as Required<Pick<EventBridgeSchedulerConfig, K>>;
  }
}

function envNameOf(key: keyof EventBridgeSchedulerConfig): string {
  return {
    groupName: 'SCHEDULE_GROUP_NAME',
    roleArn: 'SCHEDULER_ROLE_ARN',
    busArn: 'EVENT_BUS_ARN',
    scheduledCreateFunctionArn: 'SCHEDULED_CREATE_FUNCTION_ARN',
  }[key];
}
