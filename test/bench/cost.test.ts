import { fitPerHost, memoryMbOf, minus, PRICES, usd, type Usage } from '../../bench/cost';

const usage = (n: number): Usage => ({
  transitions: 20 + 10 * n,
  invocations: 8 + 7 * n,
  gbSeconds: 5 + 300 * n,
  rru: 30 + 100 * n,
  wru: 40 + 50 * n,
  events: 4 + 6 * n,
  schedulerInvocations: 0,
  apiRequests: 2,
});

describe('cost model', () => {
  it('fits what one more host costs and the fixed part, item by item', () => {
    const { perHost, fixed } = fitPerHost([1, 4, 16, 64].map((hosts) => ({ hosts, usage: usage(hosts) })));
    expect(perHost.transitions).toBeCloseTo(10);
    expect(perHost.gbSeconds).toBeCloseTo(300);
    expect(fixed.transitions).toBeCloseTo(20);
    expect(perHost.apiRequests).toBeCloseTo(0);
  });

  it('prices every item at the stated list prices', () => {
    const one: Usage = {
      transitions: 1000,
      invocations: 1e6,
      gbSeconds: 1,
      rru: 1e6,
      wru: 1e6,
      events: 1e6,
      schedulerInvocations: 1e6,
      apiRequests: 1e6,
    };
    expect(usd(one)).toBeCloseTo(0.025 + 0.2 + PRICES.lambdaGbSecond + 0.125 + 0.625 + 1 + 1 + 1, 9);
    expect(usd(minus(one, one))).toBe(0);
  });

  it('takes each function’s memory from the CDK app (1 GB for ConfigureHost, 512 MB by default)', () => {
    expect(memoryMbOf('configure-host')).toBe(1024);
    expect(memoryMbOf('check-host-ready')).toBe(512);
  });
});
