import { deleteProvision } from '../lambdas/provisioning/commands';
import type { BenchSandbox } from './bench-sandbox';

/** Polls `check` every 20 ms until it answers a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Deletes a provision with cleanup, as `edgectl delete --cleanup` does, and waits until it is DELETED. */
export async function deleteAndWait(bench: BenchSandbox, owner: string, id: string): Promise<void> {
  // What DELETE /provisions/{id} does; its reads are the API function's and count.
  const { executionId } = await deleteProvision(bench.sandbox.deps, { owner, id, cleanup: true });
  const execution = await bench.sandbox.runner.wait(executionId ?? '');
  const p = await bench.capacity.unmetered(() => bench.sandbox.deps.store.get(id));
  if (p?.state !== 'DELETED') throw new Error(`bench delete of ${id} ended ${p?.state ?? 'missing'}: ${execution?.cause ?? ''}`);
}
