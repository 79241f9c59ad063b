import { configureProvision } from '../provisioning/day2/configure';
import { hostAction } from '../provisioning/day2/host-action';
import { listHosts } from '../provisioning/day2/hosts';
import { addIps, removeIp } from '../provisioning/day2/ips';
import { HOST_ACTIONS, type HostAction } from '../provisioning/day2/requests';
import { scaleIn, scaleOut, type ScaleInRequest, type StartedOperation } from '../provisioning/day2/scale';
import { parseBody } from './body';
import { json, type ApiRequest, type ApiResponse } from './http';
import { HttpProblem } from './problem';
import { parseQuery } from './query';
import type { Route } from './router';
import {
  ConfigureBodySchema,
  HostActionBodySchema,
  HostListQuerySchema,
  HostListSchema,
  IpAddBodySchema,
  OperationStartedSchema,
  ScaleInManyQuerySchema,
  ScaleInQuerySchema,
  ScaleOutBodySchema,
} from './schemas';
import { toView } from './views';

/** 202 with the provision (its `operation` is the one just started) and the execution. */
function started({ provision, executionId }: StartedOperation): ApiResponse {
  return json(202, { ...toView(provision), executionId }, { location: `/provisions/${encodeURIComponent(provision.id)}` });
}

const STARTED = { 202: { description: 'The operation took the lock and its machine started', schema: OperationStartedSchema } };
/** Every day-2 route: 409 for another running operation, VMs in the way, or a state the action makes no sense in. */
const DAY2_ERRORS = [409, 413, 415, 422];

function scaleInOptions(q: { drain?: string; force?: string; drainTimeout?: number; allowEmpty?: string }) {
  return {
    drain: q.drain === 'true',
    force: q.force === 'true',
    drainTimeoutSeconds: q.drainTimeout,
    allowEmpty: q.allowEmpty === 'true',
  };
}

const SCALE_IN_DESCRIPTION =
  'Refused (409 `vms-running`, naming the VMs) while the hosts run VMs unless `drain=true`: disabled in OpenNebula, the VMs are asked to move ' +
  '(`resched`) and waited for, or with `force=true` terminated, bounded by `drainTimeout` seconds (default 600). Refused (409) below ' +
  '`min_healthy_hosts` or to no host unless `allowEmpty=true`. Each host is then deregistered, removed from every peer’s FDB, and its IPs ' +
  'and machine released; a host that cannot be removed is restored (registered again), never left half.';

function id(req: ApiRequest): string {
  return req.params['id'] ?? '';
}

/** Day-2 operations: scale out and in, host actions and list, public IPs, reconfigure. */
export const operationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/provisions/{id}/hosts',
    doc: {
      summary: 'List the hosts, with their OpenNebula state and VMs now',
      description:
        'Live hosts (`all=true`: released ones too), each with `oneState` and `vms` read from OpenNebula, and how to reach it over SSH.',
      tag: 'provisions',
      query: HostListQuerySchema,
      responses: { 200: { description: 'The hosts', schema: HostListSchema } },
    },
    async handle(deps, req) {
      const q = parseQuery(HostListQuerySchema, req.query);
      return json(200, { items: await listHosts(deps, { owner: req.owner, id: id(req), all: q.all === 'true' }) });
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/hosts',
    doc: {
      summary: 'Scale out: add hosts',
      description:
        '`{count}` hosts copied from the last one, or `{hosts: [{name, provision}]}` by name with provider parameters (on-prem: the name is the ' +
        'address unless `provision.address` is given), as oneprovision’s `host add --hostnames --host-params`. New hosts run the same per-host ' +
        'pipeline as create; every host then gets them as unicast VXLAN peers; the public networks’ missing addresses go to them. A failure ' +
        'releases every host the scale-out bought.',
      tag: 'provisions',
      body: { schema: ScaleOutBodySchema, required: true },
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      const body = ScaleOutBodySchema.parse(parseBody(req));
      return started(await scaleOut(deps, { owner: req.owner, id: id(req), ...body }));
    },
  },
  {
    method: 'DELETE',
    path: '/provisions/{id}/hosts',
    doc: {
      summary: 'Scale in: remove several hosts in one operation',
      description: `\`hosts\` (names or indexes, comma-separated) or \`count\` (failed hosts first, then powered-off ones, then the newest without VMs). ${SCALE_IN_DESCRIPTION}`,
      tag: 'provisions',
      query: ScaleInManyQuerySchema,
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      const q = parseQuery(ScaleInManyQuerySchema, req.query);
      if ((q.hosts === undefined) === (q.count === undefined)) {
        throw new HttpProblem(400, 'bad-request', 'Invalid query parameters', 'give either hosts or count', [
          { path: 'query.hosts', message: 'hosts or count, not both and not neither' },
        ]);
      }
      const request: ScaleInRequest = {
        owner: req.owner,
        id: id(req),
        ...(q.hosts ? { hosts: q.hosts.split(',') } : { count: q.count }),
        ...scaleInOptions(q),
      };
      return started(await scaleIn(deps, request));
    },
  },
  {
    method: 'DELETE',
    path: '/provisions/{id}/hosts/{host}',
    doc: {
      summary: 'Scale in: remove a host',
      description: `\`host\` is a host name or index. ${SCALE_IN_DESCRIPTION}`,
      tag: 'provisions',
      query: ScaleInQuerySchema,
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      const q = parseQuery(ScaleInQuerySchema, req.query);
      return started(await scaleIn(deps, { owner: req.owner, id: id(req), hosts: [req.params['host'] ?? ''], ...scaleInOptions(q) }));
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/hosts/{host}/{action}',
    doc: {
      summary: 'Host action: poweroff, reboot or resume',
      description:
        'Through the provider and OpenNebula: poweroff disables the host, stops the machine and sets it OFFLINE (host OFF); reboot sets it ' +
        'OFFLINE, reboots (`hard`: stop and start) and waits for MONITORED; resume starts the machine, enables the host and waits for ' +
        'MONITORED. 409 where the host state makes no sense (resume of a RUNNING host) and, for poweroff and reboot, while the host runs ' +
        'VMs unless `force`, which powers them off first and resumes them when the host is back. An unknown action is a 404.',
      tag: 'provisions',
      body: { schema: HostActionBodySchema, required: false },
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      const action = req.params['action'] ?? '';
      if (!(HOST_ACTIONS as readonly string[]).includes(action)) {
        throw new HttpProblem(404, 'not-found', 'Not found', `no host action '${action}': use ${HOST_ACTIONS.join(', ')}`);
      }
      const body = HostActionBodySchema.parse(parseBody(req, { optional: true }));
      return started(
        await hostAction(deps, { owner: req.owner, id: id(req), host: req.params['host'] ?? '', action: action as HostAction, ...body }),
      );
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/ips',
    doc: {
      summary: 'Add public IPs',
      description:
        'Leases `count` (default 1) addresses from the public network’s IPAM (`network`, default the first public one), routes each to a ' +
        'running host (those with the fewest first) and adds it to the vnet as a size-1 address range, as create does. A failure releases ' +
        'what it leased.',
      tag: 'provisions',
      body: { schema: IpAddBodySchema, required: false },
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      const body = IpAddBodySchema.parse(parseBody(req, { optional: true }));
      return started(await addIps(deps, { owner: req.owner, id: id(req), ...body }));
    },
  },
  {
    method: 'DELETE',
    path: '/provisions/{id}/ips/{ip}',
    doc: {
      summary: 'Remove a public IP',
      description:
        'Takes the address range off the public vnet and releases the address. Refused (409 `ip-in-use`) while a VM holds a lease of it; ' +
        '404 for an address the provision does not hold.',
      tag: 'provisions',
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      return started(await removeIp(deps, { owner: req.owner, id: id(req), address: req.params['ip'] ?? '' }));
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/configure',
    doc: {
      summary: 'Reconfigure hosts (oneprovision configure)',
      description:
        'Without `force`, hosts whose configuration or registration failed resume at their failed role (409 when every host is configured). ' +
        'With `force`, every role runs again from the first on the live hosts (`hosts` to choose), e.g. after an OS update or a changed ' +
        'role; roles are idempotent and VMs keep running. Then every host gets the full overlay peer set.',
      tag: 'provisions',
      body: { schema: ConfigureBodySchema, required: false },
      responses: STARTED,
      errors: DAY2_ERRORS,
    },
    async handle(deps, req) {
      const body = ConfigureBodySchema.parse(parseBody(req, { optional: true }));
      return started(await configureProvision(deps, { owner: req.owner, id: id(req), ...body }));
    },
  },
];
