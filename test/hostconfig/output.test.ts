import { LineSplitter, ReportParser, TailBuffer } from '../../lambdas/hostconfig/output';

describe('LineSplitter', () => {
  it('emits whole lines when chunks split lines and characters', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('first\r\nsecönd line\nlast', 'utf8');
    for (let i = 0; i < bytes.length; i += 3) splitter.push(bytes.subarray(i, i + 3));
    splitter.end();
    expect(lines).toEqual(['first', 'secönd line', 'last']);
  });
});

describe('ReportParser', () => {
  it('reads the result and facts and ignores other lines', () => {
    const parser = new ReportParser();
    for (const line of ['changed: x', 'EDGE_FACT cpu=4', 'EDGE_FACT ssh_host_key_ed25519=ssh-ed25519 AAA=', 'EDGE_RESULT changed'])
      parser.line(line);
    expect(parser.get()).toEqual({ changed: true, facts: { cpu: '4', ssh_host_key_ed25519: 'ssh-ed25519 AAA=' } });
  });

  it('reports no result when the role never printed one', () => {
    const parser = new ReportParser();
    parser.line('EDGE_RESULT maybe');
    expect(parser.get().changed).toBeUndefined();
  });
});

describe('TailBuffer', () => {
  it('keeps the last lines only', () => {
    const tail = new TailBuffer(2);
    ['a', 'b', 'c'].forEach((line) => tail.add(line));
    expect(tail.get()).toEqual(['b', 'c']);
  });
});
