import { z } from 'zod';
import { runScheduledCreate } from '../provisioning/scheduling/recurring';
import { stepHandler } from './step-handler';

/** What a recurring schedule sends at each run (`<aws.scheduler.scheduled-time>` filled in by Scheduler). */
const ScheduledCreateInput = z.object({
  scheduleId: z.string().regex(/^s-[0-9a-f]{12}$/),
  scheduledTime: z.string().min(1),
});

/** Target of the recurring-creation schedules: one provision per run. */
export const handler = stepHandler(ScheduledCreateInput, (deps, input) => runScheduledCreate(deps, input));
