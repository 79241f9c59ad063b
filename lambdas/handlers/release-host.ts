import { releaseHost } from '../provisioning/steps/teardown';
import { TeardownHostSchema } from './schemas';
import { stepHandler } from './step-handler';
import { table } from '../wiring/aws/table';
import { events } from '../wiring/aws/events';
import { secrets } from '../wiring/aws/secrets';
import { drivers } from '../wiring/aws/drivers';

/** ReleaseHost: the host's public IPs, then the machine. */
export const handler = stepHandler(TeardownHostSchema, releaseHost, {
  name: 'release-host',
  ports: [table, events, secrets, drivers],
});
