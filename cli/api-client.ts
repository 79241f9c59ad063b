import type { ProvisionView } from '../lambdas/api/views';
import type { Problem } from '../lambdas/api/problem';
import type { ProvisionLogEntry } from '../lambdas/provisioning/model';
import type { Page, ProvisionSummary } from '../lambdas/provisioning/ports/store';
import type { ProvisionPlan } from '../lambdas/provisioning/plan';
import type { ScheduleView } from '../lambdas/api/routes-schedules';
import type { SandboxFaults } from '../lambdas/api/sandbox-faults';
import type { HostInfo } from '../lambdas/provisioning/day2/hosts';

/** What a day-2 request answers: the provision (its `operation` the one just started) and the execution. */
export type OperationStarted = ProvisionView & { executionId: string };

/** Options of a scale-in. */
export interface ScaleInOptions {
  drain?: boolean;
  force?: boolean;
  drainTimeout?: number;
  allowEmpty?: boolean;
}

/** A failed API call, carrying the server's problem JSON. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** Client of the edge-provisioner HTTP API (the local sandbox or a deployed stack). */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly authorize: (init: {
      method: string;
      url: string;
      headers: Record<string, string>;
      body?: string;
    }) => Promise<Record<string, string>>,
  ) {}

  /** A client sending `Authorization: Bearer TOKEN` (the local API). */
  static withToken(baseUrl: string, token: string): ApiClient {
    return new ApiClient(baseUrl, async () => ({ authorization: `Bearer ${token}` }));
  }

  createProvision(plan: ProvisionPlan, idempotencyKey?: string): Promise<ProvisionView> {
    return this.call('POST', '/provisions', { plan }, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  listProvisions(query: { state?: string; limit?: number; cursor?: string } = {}): Promise<Page<ProvisionSummary>> {
    return this.call('GET', `/provisions${qs(query)}`);
  }

  getProvision(id: string): Promise<ProvisionView> {
    return this.call('GET', `/provisions/${encodeURIComponent(id)}`);
  }

  events(id: string, query: { after?: string; limit?: number } = {}): Promise<Page<ProvisionLogEntry>> {
    return this.call('GET', `/provisions/${encodeURIComponent(id)}/events${qs(query)}`);
  }

  deleteProvision(
    id: string,
    cleanup: boolean,
    force = false,
    cleanupTimeoutSeconds?: number,
  ): Promise<ProvisionView & { executionId?: string }> {
    const query = qs({
      cleanup: cleanup ? 'true' : undefined,
      force: force ? 'true' : undefined,
      cleanup_timeout: cleanupTimeoutSeconds?.toString(),
    });
    return this.call('DELETE', `/provisions/${encodeURIComponent(id)}${query}`);
  }

  /** Resumes a failed creation (`POST /provisions/{id}/retry`). */
  retryProvision(id: string): Promise<ProvisionView & { executionId: string }> {
    return this.call('POST', `/provisions/${encodeURIComponent(id)}/retry`);
  }

  /** The hosts with their OpenNebula state and VMs now (`GET /provisions/{id}/hosts`). */
  listHosts(id: string, all = false): Promise<{ items: HostInfo[] }> {
    return this.call('GET', `/provisions/${encodeURIComponent(id)}/hosts${qs({ all: all ? 'true' : undefined })}`);
  }

  /** Scale out by a count, or by names with provider parameters. */
  scaleOut(
    id: string,
    body: { count: number } | { hosts: Array<{ name: string; provision?: Record<string, string> }> },
  ): Promise<OperationStarted> {
    return this.call('POST', `/provisions/${encodeURIComponent(id)}/hosts`, body);
  }

  /** Scale in the named hosts (or `count` of them) in one operation. */
  scaleIn(id: string, which: { hosts: string[] } | { count: number }, options: ScaleInOptions = {}): Promise<OperationStarted> {
    const query = qs({
      drain: options.drain ? 'true' : undefined,
      force: options.force ? 'true' : undefined,
      drainTimeout: options.drainTimeout,
      allowEmpty: options.allowEmpty ? 'true' : undefined,
    });
    const base = `/provisions/${encodeURIComponent(id)}/hosts`;
    if ('hosts' in which && which.hosts.length === 1)
      return this.call('DELETE', `${base}/${encodeURIComponent(which.hosts[0] as string)}${query}`);
    const selector = 'hosts' in which ? `hosts=${encodeURIComponent(which.hosts.join(','))}` : `count=${which.count}`;
    return this.call('DELETE', `${base}${query ? `${query}&` : '?'}${selector}`);
  }

  /** `poweroff`, `reboot` or `resume` of one host. */
  hostAction(id: string, host: string, action: string, body: { hard?: boolean; force?: boolean } = {}): Promise<OperationStarted> {
    return this.call('POST', `/provisions/${encodeURIComponent(id)}/hosts/${encodeURIComponent(host)}/${encodeURIComponent(action)}`, body);
  }

  addIps(id: string, body: { count: number; network?: string }): Promise<OperationStarted> {
    return this.call('POST', `/provisions/${encodeURIComponent(id)}/ips`, body);
  }

  removeIp(id: string, address: string): Promise<OperationStarted> {
    return this.call('DELETE', `/provisions/${encodeURIComponent(id)}/ips/${encodeURIComponent(address)}`);
  }

  configure(id: string, body: { force?: boolean; hosts?: string[] }): Promise<OperationStarted> {
    return this.call('POST', `/provisions/${encodeURIComponent(id)}/configure`, body);
  }

  /** Creates a recurring schedule from a rendered plan (`${provision_id}` left in place). */
  createSchedule(
    input: { cron: string; timezone?: string; ttl?: string | number; plan: ProvisionPlan },
    idempotencyKey?: string,
  ): Promise<ScheduleView> {
    return this.call('POST', '/schedules', input, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  }

  listSchedules(query: { limit?: number; cursor?: string } = {}): Promise<Page<ScheduleView>> {
    return this.call('GET', `/schedules${qs(query)}`);
  }

  getSchedule(id: string): Promise<ScheduleView> {
    return this.call('GET', `/schedules/${encodeURIComponent(id)}`);
  }

  deleteSchedule(id: string): Promise<ScheduleView> {
    return this.call('DELETE', `/schedules/${encodeURIComponent(id)}`);
  }

  /** Puts a custom event on the sandbox's bus (`POST /events`, sandbox only). */
  putEvent(event: { source: string; 'detail-type': string; detail: Record<string, unknown> }): Promise<{ id: string }> {
    return this.call('POST', '/events', event);
  }

  /** Faults armed in the sandbox (`GET /sandbox/faults`, sandbox only). */
  faults(): Promise<Record<string, unknown>> {
    return this.call('GET', '/sandbox/faults');
  }

  /** Arms faults in the sandbox (`POST /sandbox/faults`). */
  armFaults(faults: SandboxFaults): Promise<Record<string, unknown>> {
    return this.call('POST', '/sandbox/faults', faults);
  }

  /** Heals the sandbox (`DELETE /sandbox/faults`). */
  clearFaults(): Promise<Record<string, unknown>> {
    return this.call('DELETE', '/sandbox/faults');
  }

  /** The API's OpenAPI document. */
  openApi(): Promise<Record<string, unknown>> {
    return this.call('GET', '/openapi.json');
  }

  async call<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const res = await this.send(method, path, {
      body: text,
      headers: { accept: 'application/json', ...(text ? { 'content-type': 'application/json' } : {}), ...extra },
    });
    const raw = await res.text();
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : undefined;
    } catch {
      parsed = { detail: raw.slice(0, 200) };
    }
    if (!res.ok) throw new ApiError(res.status, (parsed ?? {}) as Partial<Problem>);
    return parsed as T;
  }

  /**
   * Sends one authorised request (path with its query) and returns the raw
   * response, whatever its status; `edgectl console` forwards `/api/*` with it.
   * Throws only when the API cannot be reached.
   */
  async send(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { ...init.headers };
    Object.assign(headers, await this.authorize({ method, url, headers, body: init.body }));
    try {
      return await fetch(url, { method, headers, body: init.body, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new ApiUnreachableError(this.baseUrl, (err as Error).message);
    }
  }
}

/** The API did not answer at all (connection refused, reset, timed out). */
export class ApiUnreachableError extends Error {
  constructor(
    readonly baseUrl: string,
    reason: string,
  ) {
    super(`cannot reach the API at ${baseUrl}: ${reason}`);
    this.name = 'ApiUnreachableError';
  }
}

function qs(query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
}
