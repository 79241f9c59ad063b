import { compensateIpAction } from '../provisioning/day2/ip-steps';
import { CompensateIpActionSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';
import { openNebula } from '../wiring/aws/opennebula';

/** CompensateIpAction: releases what a failed ip add leased, or puts a half-removed IP back. */
export const handler = stepHandler(CompensateIpActionSchema, compensateIpAction, {
  name: 'compensate-ip-action',
  ports: [table, events, secrets, drivers, openNebula],
});
