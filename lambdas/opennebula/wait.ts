import { OneWaitTimeoutError } from './errors';

/** How long and how often to poll an asynchronous OpenNebula transition. */
export interface PollOptions {
  intervalMs: number;
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `check` until it returns true; throws `OneWaitTimeoutError` (transient,
 * so a state machine retries the step later) when `timeoutMs` has passed.
 */
export async function pollUntil(what: string, check: () => Promise<boolean>, options: PollOptions): Promise<void> {
  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new OneWaitTimeoutError(`${what}: not done after ${options.timeoutMs} ms`);
    await sleep(options.intervalMs);
  }
}
