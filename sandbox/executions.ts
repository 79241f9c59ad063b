import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { MachineName } from '../lambdas/provisioning/ports/workflow';

/** Status values as Step Functions reports them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One execution of a machine in the sandbox. */
export interface ExecutionRecord {
  executionId: string;
  name: string;
  machine: MachineName;
  input: Record<string, unknown>;
  status: ExecutionStatus;
  startedAt: string;
  stoppedAt?: string;
  error?: string;
  cause?: string;
  /** State transitions so far (the unit Step Functions bills). */
  transitions: number;
  /** Task handler invocations so far, retries included (the Lambda requests AWS would bill). */
  invocations?: number;
  /** Set once what an interrupted execution was doing has been resumed or settled. */
  reconciled?: boolean;
  /** Set when the execution entered its failure path (compensation, failure records). */
  failing?: boolean;
  /** How many times it was resumed after the sandbox restarted. */
  resumed?: number;
}

/**
 * The sandbox's record of executions, written through to a JSON file so a
 * later CLI call (or a restarted daemon) sees them. An execution that was
 * RUNNING when its process died is marked ABORTED on load: nothing stays in
 * a running state that no process moves.
 */
export class ExecutionStore {
  private readonly records = new Map<string, ExecutionRecord>();
  private frozen = false;

  constructor(private readonly path?: string) {
    if (path && existsSync(path)) {
      for (const r of JSON.parse(readFileSync(path, 'utf8')) as ExecutionRecord[]) {
        if (r.status === 'RUNNING') {
          Object.assign(r, { status: 'ABORTED', stoppedAt: new Date().toISOString(), error: 'SandboxRestarted', reconciled: false });
        }
        this.records.set(r.executionId, r);
      }
      this.save();
    }
  }

  get(executionId: string): ExecutionRecord | undefined {
    return this.records.get(executionId);
  }

  byName(name: string): ExecutionRecord | undefined {
    for (const r of this.records.values()) if (r.name === name) return r;
    return undefined;
  }

  /** Executions that a previous process left running and that nobody has reconciled yet. */
  interrupted(): ExecutionRecord[] {
    return [...this.records.values()].filter(
      (r) => r.status === 'ABORTED' && (r.error === 'SandboxRestarted' || r.error === 'SandboxStopped') && !r.reconciled,
    );
  }

  list(): ExecutionRecord[] {
    return [...this.records.values()];
  }

  put(record: ExecutionRecord): void {
    this.records.set(record.executionId, record);
    this.save();
  }

  update(executionId: string, patch: Partial<ExecutionRecord>): void {
    const r = this.records.get(executionId);
    if (!r) return;
    Object.assign(r, patch);
    this.save();
  }

  /**
   * Stops writing to the file, as a killed process stops: what it shows
   * stays as it was (running executions stay RUNNING for the next process
   * to find), while this process's view still moves.
   */
  freeze(): void {
    this.frozen = true;
  }

  private save(): void {
    if (!this.path || this.frozen) return;
    writeFileSync(`${this.path}.tmp`, JSON.stringify([...this.records.values()]));
    renameSync(`${this.path}.tmp`, this.path);
  }
}
