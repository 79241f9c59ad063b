import { SFNClient } from '@aws-sdk/client-sfn';
import { MACHINE_ARN_ENV } from '../../shared/config';
import { SfnWorkflowStarter } from '../../workflows/sfn-starter';
import { traced } from '../observability';
import type { PortGroup } from '../port-groups';

/** Starting, inspecting and stopping every machine's executions (Step Functions). */
export const workflows: PortGroup<'workflows'> = {
  name: 'workflows',
  aws(ctx) {
    const config = ctx.config();
    return {
      workflows: new SfnWorkflowStarter(
        traced(new SFNClient({})),
        Object.fromEntries(Object.entries(MACHINE_ARN_ENV).map(([machine, variable]) => [machine, config[variable]])),
      ),
    };
  },
};
