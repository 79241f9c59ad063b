import { Duration } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ApiRoute } from './constructs/edge-http-api';
import type { FunctionNeeds } from './constructs/function-needs';

/** Needs and sizing of one function. */
export interface FunctionSpec extends FunctionNeeds {
  readonly description: string;
  /** @default 2 minutes */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
}

/**
 * Every state-machine step, by handler file (the values of `TASK_HANDLERS`).
 * A use case that starts touching another port needs its line here changed;
 * synth fails for a handler file without a line.
 *
 * Reading the table: any step that loads the OpenNebula session, the SSH key
 * or a provider connection reads secrets; a step that calls
 * `lifecycle.emit` publishes events; `lifecycle.note` and every state change
 * write the table; a step whose handler declares the `drivers` port group
 * keeps driver records. `test/infra/function-ports.test.ts` checks these
 * needs against the port groups each handler declares.
 */
export const STEP_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  'prepare-provision': {
    description: 'PENDING → PROVISIONING; hands the machine its hosts; on retry releases machines that never booted',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['describe', 'release'],
    // Releasing an on-prem machine frees its host record.
    driverState: true,
  },
  'create-network-infra': {
    description: 'Provider network, then cluster, datastores and vnets in OpenNebula',
    table: 'readWrite',
    readSecrets: true,
    driverState: true,
    ec2: ['network'],
    timeout: Duration.minutes(5),
  },
  'check-networks-ready': { description: 'One poll of the vnets’ state', table: 'read', readSecrets: true },
  'allocate-host': {
    description: 'Runs one host at the provider (idempotent by client token)',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    driverState: true,
    ec2: ['allocate'],
  },
  'check-host-ready': {
    description: 'One poll of a host’s boot',
    table: 'readWrite',
    readSecrets: true,
    driverState: true,
    ec2: ['describe'],
  },
  'assign-public-ips': {
    description: 'Leases, attaches and registers a host’s public IPs',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    driverState: true,
    ec2: ['describe', 'addresses'],
    timeout: Duration.minutes(5),
  },
  'configure-host': {
    description: 'Runs the host’s roles over SSH within its time budget',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    // CONFIGURE_BUDGET_MS (14 min) plus the handler's 30 s hand-over margin.
    timeout: Duration.minutes(15),
    memorySize: 1024,
  },
  'register-host': { description: 'Registers a configured host in OpenNebula', table: 'readWrite', publishEvents: true, readSecrets: true },
  'record-host-failure': { description: 'Records a host’s failed step', table: 'readWrite', publishEvents: true },
  'converge-overlay': {
    description: 'Writes the full VXLAN peer set on every host; fills deferred values; marks a host it cannot reach FAILED',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    timeout: Duration.minutes(5),
    memorySize: 1024,
  },
  'finalize-provision': {
    description: 'Applies the failure policy: RUNNING, DEGRADED or compensate; arms the TTL schedule and teardown rule',
    table: 'readWrite',
    publishEvents: true,
    // armTeardownTriggers: the TTL schedule and the provision's teardownOn rule.
    schedules: ['put'],
    rules: ['put'],
  },
  compensate: {
    description: 'Undoes a failed creation in reverse and records ERROR',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    driverState: true,
    ec2: ['describe', 'release', 'teardown'],
    // A rollback disarms the TTL schedule and teardown rule finalize may have armed.
    schedules: ['remove'],
    rules: ['remove'],
    timeout: Duration.minutes(15),
  },
  'record-compensation-failure': {
    description: 'Records ERROR when compensation itself failed, so nothing stays PROVISIONING',
    table: 'readWrite',
    publishEvents: true,
  },
  'check-deletable': {
    description: 'Refuses a delete while VMs run (unless cleanup); → DELETING',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
  },
  'deregister-host': {
    description: 'Removes a host (and with cleanup its VMs) from OpenNebula',
    table: 'readWrite',
    readSecrets: true,
    timeout: Duration.minutes(5),
  },
  'release-host': {
    description: 'Releases a host’s public IPs and the machine',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    driverState: true,
    ec2: ['release'],
    timeout: Duration.minutes(5),
  },
  'delete-network-infra': {
    description: 'Deletes vnets, datastores, cluster and provider network; sweeps leftovers by tag (and by name when forced)',
    table: 'read',
    readSecrets: true,
    driverState: true,
    ec2: ['release', 'teardown'],
    timeout: Duration.minutes(10),
  },
  'finalize-delete': {
    description: 'DELETING → DELETED; removes the TTL schedule, teardown rule and the provision’s own credentials secret',
    table: 'readWrite',
    publishEvents: true,
    deleteSecrets: true,
    // A deleted provision's names are free again.
    releaseNames: true,
    // disarmTeardownTriggers.
    schedules: ['remove'],
    rules: ['remove'],
  },
  'record-delete-failure': { description: 'Records a failed delete', table: 'readWrite', publishEvents: true },
  // Day-2 operations (scale-provision, host-action, ip-action, configure-provision).
  'begin-operation': {
    description: 'First step of a day-2 machine: checks the lock, records new hosts, SCALING, Operation Started',
    table: 'readWrite',
    publishEvents: true,
  },
  'finish-operation': {
    description: 'Checks a day-2 operation reached its goal, settles the provision and releases the lock',
    table: 'readWrite',
    publishEvents: true,
  },
  'fail-operation': {
    description: 'Records a failed day-2 operation, settles the provision and releases the lock',
    table: 'readWrite',
    publishEvents: true,
  },
  'compensate-scale-out': {
    description: 'Releases the hosts a failed scale-out bought; rewrites the peers of the others',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['describe', 'release'],
    driverState: true,
    timeout: Duration.minutes(10),
    memorySize: 1024,
  },
  'drain-host': {
    description: 'One round of draining a host before scale-in: disabled, VMs rescheduled or terminated',
    table: 'readWrite',
    readSecrets: true,
  },
  'restore-host': {
    description: 'A host a day-2 step failed on ends registered again or fully released',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['describe', 'addresses', 'release'],
    driverState: true,
    timeout: Duration.minutes(5),
  },
  'start-host-action': {
    description: 'Pauses VMs (force), takes the host out of scheduling, asks the provider to stop, reboot or start it',
    table: 'readWrite',
    readSecrets: true,
    ec2: ['power'],
    driverState: true,
  },
  'check-host-action': {
    description: 'One poll of a power action: provider state, then MONITORED in OpenNebula; resumes paused VMs',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['describe', 'power'],
    driverState: true,
  },
  'add-public-ips': {
    description: 'Leases public IPs, routes them to hosts, adds them to the public vnet',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['describe', 'addresses'],
    driverState: true,
    timeout: Duration.minutes(5),
  },
  'remove-public-ip': {
    description: 'Takes a public IP off its vnet (refused while a VM holds it) and releases it',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['releaseAddresses'],
    driverState: true,
  },
  'compensate-ip-action': {
    description: 'Releases what a failed ip add leased, or puts a half-removed IP back on its vnet',
    table: 'readWrite',
    publishEvents: true,
    readSecrets: true,
    ec2: ['addresses', 'releaseAddresses'],
    driverState: true,
    timeout: Duration.minutes(5),
  },
};

/**
 * The API functions, by handler file; the first serves every route that
 * names no other. Adding a file is one line here plus its routes.
 */
export const API_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  api: {
    description: 'HTTP API: validates, stores, starts executions, manages schedules',
    table: 'readWrite',
    listProvisions: true,
    publishEvents: true,
    // Credentials inline in a descriptor are moved into a secret
    // (edge-provisioner/<provision>/provider-connection) and read back by reference.
    readSecrets: true,
    writeSecrets: true,
    // A pending secret is deleted once adopted, a schedule's with the schedule.
    deleteSecrets: true,
    // Create, retry, delete and the day-2 operations.
    startExecutions: ['create-provision', 'delete-provision', 'scale-provision', 'host-action', 'ip-action', 'configure-provision'],
    // The operation lock: is the execution holding it still running?
    describeExecutions: true,
    // delete --force stops the execution holding the lock.
    stopExecutions: true,
    // A create naming a provider this deployment refuses is a 422; GET /providers lists the accepted ones.
    driverNamesOnly: true,
    // POST and DELETE /schedules: the cron schedule, and its item in the table.
    schedules: ['put', 'remove'],
    deleteScheduleItems: true,
    // A create that could not store its provision gives its names back.
    releaseNames: true,
    // Idempotency-Key on POST /provisions and POST /schedules.
    idempotency: true,
    // API Gateway waits at most 30 s for an integration.
    timeout: Duration.seconds(29),
    memorySize: 1024,
  },
};

/**
 * The functions EventBridge invokes, by handler file: the target of the
 * recurring schedules and the target of every teardown rule.
 */
export const TRIGGERED_FUNCTIONS: Readonly<Record<'scheduled-create' | 'teardown', FunctionSpec>> = {
  'scheduled-create': {
    description: 'One run of a recurring schedule: creates a provision from the stored plan',
    // runScheduledCreate → createProvision: inline credentials were moved into
    // the schedule's secret when it was made; each run copies them into the
    // provision's own secret (deleted with the provision).
    table: 'readWrite',
    readSecrets: true,
    writeSecrets: true,
    publishEvents: true,
    startExecutions: ['create-provision'],
    // createProvision reserves the plan's names, and gives them back if it cannot store the provision.
    releaseNames: true,
    timeout: Duration.minutes(1),
  },
  teardown: {
    description: 'Deletes a provision with cleanup when a teardown rule matches; postpones an expiry while it moves',
    // teardownProvision: notes, starts the delete machine, and re-arms the TTL
    // schedule of a provision that is still moving; settling an abandoned
    // operation emits `Provision Failed`.
    table: 'readWrite',
    publishEvents: true,
    startExecutions: ['delete-provision'],
    // The operation lock: a delete waits for (or takes over from) the operation holding it.
    describeExecutions: true,
    schedules: ['put'],
    timeout: Duration.minutes(1),
  },
};

const { GET, POST, DELETE } = HttpMethod;

/** The routes of DESIGN §7, plus schedules. */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: POST, path: '/provisions' },
  { method: GET, path: '/provisions' },
  { method: GET, path: '/provisions/{id}' },
  { method: GET, path: '/provisions/{id}/events' },
  { method: DELETE, path: '/provisions/{id}' },
  { method: GET, path: '/provisions/{id}/hosts' },
  { method: POST, path: '/provisions/{id}/hosts' },
  { method: DELETE, path: '/provisions/{id}/hosts' },
  { method: DELETE, path: '/provisions/{id}/hosts/{host}' },
  { method: POST, path: '/provisions/{id}/hosts/{host}/{action}' },
  { method: POST, path: '/provisions/{id}/ips' },
  { method: DELETE, path: '/provisions/{id}/ips/{ip}' },
  { method: POST, path: '/provisions/{id}/configure' },
  { method: POST, path: '/provisions/{id}/retry' },
  { method: POST, path: '/validate' },
  { method: GET, path: '/providers' },
  { method: GET, path: '/openapi.json' },
  { method: POST, path: '/schedules' },
  { method: GET, path: '/schedules' },
  { method: DELETE, path: '/schedules/{id}' },
];
