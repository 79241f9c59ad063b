import { Limiter } from '../../lambdas/hostconfig/limiter';

describe('Limiter', () => {
  it('never runs more than the bound at once and runs every task', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const task = async (i: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (i === 3) throw new Error('boom');
      return i;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => limiter.run(() => task(i))));
    expect(peak).toBe(2);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });
});
