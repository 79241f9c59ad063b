import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflowStarter } from '../../workflows/sfn-starter';
import type { PortGroup } from '../port-groups';

/** Starting the create and delete machines (Step Functions). */
export const workflows: PortGroup<'workflows'> = {
  name: 'workflows',
  aws(ctx) {
    const config = ctx.config();
    return {
      workflows: new SfnWorkflowStarter(new SFNClient({}), {
        'create-provision': config.CREATE_MACHINE_ARN,
        'delete-provision': config.DELETE_MACHINE_ARN,
      }),
    };
  },
};
