import * as z from '../shared/schema';
import { runScheduledCreate } from '../provisioning/scheduling/recurring';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { schedules } from '../wiring/aws/schedules';
import { events } from '../wiring/aws/events';
import { workflows } from '../wiring/aws/workflows';
import { secrets } from '../wiring/aws/secrets';

/** What a recurring schedule sends at each run (`<aws.scheduler.scheduled-time>` filled in by Scheduler). */
const ScheduledCreateInput = z.object({
  scheduleId: z.string().check(z.regex(/^s-[0-9a-f]{12}$/)),
  scheduledTime: z.string().check(z.minLength(1)),
});

/** Target of the recurring-creation schedules: one provision per run. */
export const handler = stepHandler(ScheduledCreateInput, (deps, input) => runScheduledCreate(deps, input), {
  name: 'scheduled-create',
  // secrets: each run copies the schedule's inline credentials into the provision's own secret.
  ports: [table, schedules, events, workflows, secrets],
});
