import { describeError } from '../shared/errors';

/** Something a teardown could not remove, and why. */
export interface Leftover {
  /** What it is, e.g. `host edge-host0 (i-00000001) at the provider`, `OpenNebula cluster 100`. */
  object: string;
  errorName: string;
  message: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True for errors a retry may cure (the named transient errors the machines retry). */
export function isRetryable(err: unknown): boolean {
  return (err as { retryable?: unknown } | undefined)?.retryable === true;
}

/**
 * Runs teardown actions so that one failure does not stop the others: each
 * action is tried (a transient error a few times), and what still fails is
 * collected as a {@link Leftover} with the error that stopped it.
 */
export class BestEffort {
  readonly leftovers: Leftover[] = [];
  /** The errors behind the leftovers, in order (the first keeps its class for Retry/Catch). */
  readonly errors: unknown[] = [];

  constructor(private readonly options: { attempts?: number; delayMs?: number } = {}) {}

  /** Runs `action`; returns its result, or undefined when it failed (and was recorded). */
  async run<T>(object: string, action: () => Promise<T>): Promise<T | undefined> {
    const attempts = Math.max(1, this.options.attempts ?? 1);
    let delay = this.options.delayMs ?? 50;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await action();
      } catch (err) {
        if (attempt < attempts && isRetryable(err)) {
          await sleep(delay);
          delay *= 2;
          continue;
        }
        const { name, message } = describeError(err);
        this.leftovers.push({ object, errorName: name, message });
        this.errors.push(err);
        return undefined;
      }
    }
  }

  get failed(): boolean {
    return this.leftovers.length > 0;
  }

  /** Throws the first error (its class is what the machine's Retry matches) when anything failed. */
  throwFirst(): void {
    if (this.errors.length > 0) throw this.errors[0];
  }
}

/** One line per leftover, for messages and events. */
export function describeLeftovers(leftovers: readonly Leftover[]): string {
  return leftovers.map((l) => `${l.object}: ${l.errorName}: ${l.message}`).join('; ');
}
