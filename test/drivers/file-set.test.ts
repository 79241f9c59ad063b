import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DRIVERS = join(__dirname, '..', '..', 'lambdas', 'drivers');
const folders = ['providers', 'ipam'].flatMap((kind) =>
  readdirSync(join(DRIVERS, kind), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${kind}/${e.name}`),
);
const contractTests = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => readFileSync(join(__dirname, f), 'utf8'))
  .join('\n');

/** Every driver folder has the same file set, and the shared contract suite runs against every driver. */
describe.each(folders)('driver folder %s', (folder) => {
  const files = readdirSync(join(DRIVERS, folder));
  const name = folder.split('/')[1] as string;

  it('has its driver, connection schema, errors and README', () => {
    expect(files.some((f) => /-(provider|ipam)\.ts$/.test(f))).toBe(true);
    for (const f of ['connection.ts', 'errors.ts', 'README.md']) expect(existsSync(join(DRIVERS, folder, f))).toBe(true);
  });

  it('is run through the shared contract suite', () => {
    const suite = folder.startsWith('providers/') ? 'describeProviderContract' : 'describeIpamContract';
    const label = name === 'aws-ec2' || name === 'aws-eip' ? 'aws' : name;
    expect(contractTests).toContain(`${suite}('${label}'`);
  });
});
