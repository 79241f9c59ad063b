import { compensateScaleOut } from '../provisioning/day2/scale-steps';
import { CompensateScaleOutSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';
import { hostConfig } from '../wiring/aws/host-config';

/** CompensateScaleOut: releases the hosts a failed scale-out bought and rewrites the peers of the others. */
export const handler = stepHandler(CompensateScaleOutSchema, compensateScaleOut, {
  name: 'compensate-scale-out',
  ports: [table, events, secrets, drivers, openNebula, hostConfig],
});
