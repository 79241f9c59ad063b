import { compensateScaleOut } from '../provisioning/day2/scale-steps';
import { CompensateScaleOutSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CompensateScaleOut: releases the hosts a failed scale-out bought and rewrites the peers of the others. */
export const handler = stepHandler(CompensateScaleOutSchema, compensateScaleOut);
