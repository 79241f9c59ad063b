import { DynamoScheduleStore } from '../../store/dynamo-schedule-store';
import type { PortGroup } from '../port-groups';
import { dynamoClient } from './table';

/** Recurring-creation schedules stored in the provision table. */
export const schedules: PortGroup<'schedules'> = {
  name: 'schedules',
  aws: (ctx) => ({ schedules: new DynamoScheduleStore(dynamoClient(), ctx.config().TABLE_NAME) }),
};
