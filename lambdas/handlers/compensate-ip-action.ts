import { compensateIpAction } from '../provisioning/day2/ip-steps';
import { CompensateIpActionSchema } from './schemas';
import { stepHandler } from './step-handler';

/** CompensateIpAction: releases what a failed ip add leased, or puts a half-removed IP back. */
export const handler = stepHandler(CompensateIpActionSchema, compensateIpAction);
