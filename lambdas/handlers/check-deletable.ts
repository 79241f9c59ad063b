import { checkDeletable } from '../provisioning/steps/delete';
import { DeleteSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { openNebula } from '../wiring/aws/opennebula';

/** CheckDeletable: refuses while VMs run unless cleanup; moves to DELETING. */
export const handler = stepHandler(DeleteSchema, checkDeletable, { name: 'check-deletable', ports: [table, events, openNebula] });
