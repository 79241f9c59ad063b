/** What an injected fault does to a call. */
export type FaultAction =
  /** Answer oned's failure array with this code instead of running the call. */
  | { kind: 'fail'; code: number; message?: string; respId?: number }
  /** Answer an XML-RPC `<fault>`. */
  | { kind: 'fault'; code: number; message: string }
  /** Close the connection without an answer, before running the call or after (a lost response). */
  | { kind: 'drop'; when: 'before' | 'after' }
  /** Answer this much later. */
  | { kind: 'delay'; ms: number };

interface Rule {
  method: string;
  nth: number;
  times: number;
  action: FaultAction;
  seen: number;
}

/**
 * Fault injection for the simulated oned. Counting starts when a rule is
 * added: `nth: 1` hits the next matching call. `method` may be `*`.
 */
export class SimFaults {
  private rules: Rule[] = [];

  /** Fail the `nth` next call of `method` (and `times - 1` after it) with oned's failure array. */
  failCall(method: string, options: { code: number; message?: string; respId?: number; nth?: number; times?: number }): void {
    this.add(method, options, { kind: 'fail', code: options.code, message: options.message, respId: options.respId });
  }

  /** Answer the `nth` next call of `method` with an XML-RPC fault. */
  faultCall(method: string, options: { code: number; message: string; nth?: number; times?: number }): void {
    this.add(method, options, { kind: 'fault', code: options.code, message: options.message });
  }

  /** Drop the connection of the `nth` next call, before it runs (default) or after (the change happens, the answer is lost). */
  dropConnection(method: string, options: { when?: 'before' | 'after'; nth?: number; times?: number } = {}): void {
    this.add(method, options, { kind: 'drop', when: options.when ?? 'before' });
  }

  /** Delay answers of `method` (`*` for all) by `ms`, for `times` calls (every call when unset). */
  latency(method: string, ms: number, options: { nth?: number; times?: number } = {}): void {
    this.add(method, { nth: options.nth, times: options.times ?? Number.POSITIVE_INFINITY }, { kind: 'delay', ms });
  }

  /** Closes every connection without an answer for `ms` (oned unreachable: down, or a network partition). */
  unreachableFor(ms: number): void {
    const rule: Rule = { method: '*', nth: 1, times: Number.POSITIVE_INFINITY, action: { kind: 'drop', when: 'before' }, seen: 0 };
    this.rules.push(rule);
    setTimeout(() => {
      this.rules = this.rules.filter((r) => r !== rule);
    }, ms).unref();
  }

  /** Rules that still hit a call: what is armed now, for operators. */
  pending(): Array<{ method: string; action: FaultAction; left: number }> {
    return this.rules
      .filter((r) => r.seen < r.nth + r.times - 1)
      .map((r) => ({ method: r.method, action: r.action, left: Math.min(r.nth + r.times - 1 - r.seen, Number.MAX_SAFE_INTEGER) }));
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** The actions that apply to this call, counting it against every matching rule. */
  match(method: string): FaultAction[] {
    const due: FaultAction[] = [];
    for (const rule of this.rules) {
      if (rule.method !== method && rule.method !== '*') continue;
      rule.seen += 1;
      if (rule.seen >= rule.nth && rule.seen < rule.nth + rule.times) due.push(rule.action);
    }
    return due;
  }

  private add(method: string, options: { nth?: number; times?: number }, action: FaultAction): void {
    this.rules.push({ method, nth: options.nth ?? 1, times: options.times ?? 1, action, seen: 0 });
  }
}
