import { join } from 'node:path';
import { errorsOf, lines, loadFile, loadText, SIM_BASE, tempTree } from './helpers';

describe('descriptor errors', () => {
  describe('extends', () => {
    it('reports a cycle at the extends entry that closes it', async () => {
      const tree = tempTree({
        'a.yml': lines("name: 'a'", 'extends: b.yml'),
        'b.yml': lines('extends:', '  - a.yml'),
      });
      try {
        const { result } = await loadFile('a.yml', { cwd: tree.dir });
        expect(errorsOf(result)).toContainEqual({
          file: 'b.yml',
          line: 2,
          column: 5,
          path: 'extends[0]',
          code: 'ExtendsCycleError',
          message: 'extends cycle: a.yml → b.yml → a.yml',
        });
      } finally {
        tree.cleanup();
      }
    });

    it('reports a missing extended file at the entry naming it, relative to the including file', async () => {
      const tree = tempTree({
        'provisions/edge.yml': lines(...SIM_BASE, 'extends:', '  - parts/hosts.yml', '  - parts/missing.yml'),
        'provisions/parts/hosts.yml': lines('hosts: []'),
      });
      try {
        const { result } = await loadFile('provisions/edge.yml', { cwd: tree.dir });
        expect(errorsOf(result)).toEqual([
          {
            file: 'provisions/edge.yml',
            line: 12,
            column: 5,
            path: 'extends[1]',
            code: 'FileReadError',
            message: "cannot read extended file 'provisions/parts/missing.yml': no such file",
          },
        ]);
      } finally {
        tree.cleanup();
      }
    });
  });

  describe('extends in text', () => {
    it('refuses extends outside baseDir for descriptors given as text', async () => {
      const tree = tempTree({ 'inside/part.yml': lines('hosts: []'), 'outside.yml': lines('hosts: []') });
      try {
        const text = lines(...SIM_BASE, 'extends:', '  - part.yml', '  - ../outside.yml');
        const { result } = await loadText(text, { baseDir: join(tree.dir, 'inside') });
        expect(errorsOf(result)).toEqual([
          {
            file: 'edge.yml',
            line: 12,
            column: 5,
            path: 'extends[1]',
            code: 'FileReadError',
            message: "extends may only name files inside the descriptor's directory, found '../outside.yml'",
          },
        ]);
      } finally {
        tree.cleanup();
      }
    });
  });

  describe('YAML and file', () => {
    it('reports invalid YAML as one line at its position', async () => {
      const { result } = await loadText(lines("name: 'edge'", 'hosts: [', '  - a: b: c'));
      const errors = errorsOf(result);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: 'edge.yml', line: 3, code: 'YamlSyntaxError', path: '' });
      expect(errors[0]?.message).toMatch(/^invalid YAML: /);
    });

    it('reports a missing descriptor file as one line', async () => {
      const { result } = await loadFile('no-such-descriptor.yml');
      expect(errorsOf(result)).toEqual([
        {
          file: 'no-such-descriptor.yml',
          line: 1,
          column: 1,
          path: '',
          code: 'FileReadError',
          message: "cannot read descriptor 'no-such-descriptor.yml': no such file",
        },
      ]);
    });
  });

  describe('schema', () => {
    it('says what was expected and what was found, at the value', async () => {
      const text = lines(
        ...SIM_BASE,
        "  - im_mad: 'kvm'",
        "    vm_mad: 'kvm'",
        '    provision:',
        "      hostname: 'big'",
        '      instancetype: [c5, m5]',
      );
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 14,
          column: 21,
          path: 'hosts[1].provision.instancetype',
          code: 'SchemaError',
          message: 'expected a string, number or boolean, found a list',
        },
      ]);
    });

    it('reports a required field at the object that lacks it', async () => {
      const text = lines(
        "name: 'edge'",
        'defaults:',
        '  provision:',
        "    provider_name: 'sim'",
        'hosts:',
        "  - im_mad: 'kvm'",
        "    vm_mad: 'kvm'",
        '    provision:',
        "      plan: 'small'",
      );
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 9,
          column: 7,
          path: 'hosts[0].provision.hostname',
          code: 'RequiredFieldError',
          message: 'required: expected a host name (or a list of names), found nothing',
        },
      ]);
    });

    it('reports several errors at once', async () => {
      const text = lines(
        ...SIM_BASE,
        'datastores:',
        "  - name: 'images'",
        "    type: 'tape_ds'",
        "    tm_mad: 'ssh'",
        'ttl: soon',
        'max_concurrency: 99',
      );
      const { result } = await loadText(text);
      expect(errorsOf(result).map((e) => [e.line, e.path, e.message])).toEqual([
        [15, 'max_concurrency', 'expected a value ≤ 40, found the number 99'],
        [12, 'datastores[0].type', "expected one of image_ds, system_ds, file_ds, found 'tape_ds'"],
        [14, 'ttl', "expected a duration such as 8h, 90m, 1h30m or 30s, found the string 'soon'"],
      ]);
    });
  });

  describe('inputs', () => {
    const withInputs = (...inputLines: string[]) => lines(...SIM_BASE, '      count: "${input.n}"', 'inputs:', ...inputLines);

    it('reports a --input value above max_value where it was given', async () => {
      const { result } = await loadText(
        withInputs('  - name: n', '    type: range', '    min_value: 1', '    max_value: 5', "    default: '2'"),
        { inputs: { n: '9' } },
      );
      expect(errorsOf(result)).toEqual([
        {
          file: '--input',
          line: 1,
          column: 3,
          path: 'inputs.n',
          code: 'InputValueError',
          message: "input 'n' must be at most 5 (range 1..5), found '9' (from --input)",
        },
      ]);
    });

    it('reports a default below min_value at the default', async () => {
      const { result } = await loadText(withInputs('  - name: n', '    type: number', '    min_value: 1', '    default: 0'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 15,
          column: 14,
          path: 'inputs[0].default',
          code: 'InputValueError',
          message: "input 'n' must be at least 1 (range 1..∞), found '0' (from default)",
        },
      ]);
    });

    it('reports a value outside the options at its line in the inputs file', async () => {
      const tree = tempTree({ 'values.yml': lines('# values', 'hv: xen') });
      try {
        const text = lines(
          ...SIM_BASE,
          "      count: '1'",
          'inputs:',
          '  - name: hv',
          '    type: list',
          '    options: [kvm, lxc]',
          '    default: kvm',
        );
        const { result } = await loadText(text, { inputsFile: join(tree.dir, 'values.yml') });
        expect(errorsOf(result)).toEqual([
          {
            file: join(tree.dir, 'values.yml'),
            line: 2,
            column: 5,
            path: 'hv',
            code: 'InputValueError',
            message: "input 'hv' must be one of 'kvm', 'lxc', found 'xen' (from inputs file)",
          },
        ]);
      } finally {
        tree.cleanup();
      }
    });

    it('reports a required input without a value at its declaration', async () => {
      const { result } = await loadText(withInputs('  - name: n', '    type: number'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 12,
          column: 11,
          path: 'inputs[0]',
          code: 'InputMissingError',
          message: "input 'n' (number) has no value: no default is declared and none was given (pass --input n=VALUE or an inputs file)",
        },
      ]);
    });
  });

  describe('count', () => {
    it('reports a host count that is not a positive integer', async () => {
      const { result } = await loadText(lines(...SIM_BASE, '      count: 0'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 10,
          column: 14,
          path: 'hosts[0].provision.count',
          code: 'InvalidCountError',
          message: "provision.count must be a positive integer, found '0'",
        },
      ]);
    });

    it('reports a network count rendered from an input that is not an integer', async () => {
      const text = lines(
        ...SIM_BASE,
        'inputs:',
        '  - name: ips',
        '    type: text',
        '    default: two',
        'networks:',
        "  - name: 'public'",
        "    vn_mad: 'elastic'",
        '    provision:',
        "      count: '${input.ips}'",
        '    ar:',
        "      - ipam_mad: 'sim'",
      );
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 18,
          column: 14,
          path: 'networks[0].provision.count',
          code: 'InvalidCountError',
          message: "provision.count must be a positive integer, found 'two' (rendered from ${input.ips})",
        },
      ]);
    });
  });

  describe('names and ranges', () => {
    it('reports duplicate host names after count expansion', async () => {
      const text = lines(
        "name: 'edge'",
        'defaults:',
        '  provision:',
        "    provider_name: 'sim'",
        'hosts:',
        '  - im_mad: kvm',
        '    vm_mad: kvm',
        '    provision:',
        '      hostname: edge',
        '      count: 2',
      );
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 9,
          column: 17,
          path: 'hosts[0]',
          code: 'DuplicateNameError',
          message:
            "duplicate host name 'edge': hosts[0] (copy 2 of 2) has the same name as hosts[0] (copy 1 of 2) (put ${index} in provision.hostname so each copy gets its own name)",
        },
      ]);
    });

    it('reports a duplicate network name across networks and vntemplates', async () => {
      const text = lines(
        ...SIM_BASE,
        'networks:',
        '  - name: lan',
        '    vn_mad: bridge',
        'vntemplates:',
        '  - name: lan',
        '    vn_mad: vxlan',
        '    phydev: eth0',
        '    vlan_id: 77',
      );
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 14,
          column: 11,
          path: 'vntemplates[0]',
          code: 'DuplicateNameError',
          message: "duplicate network name 'lan': vntemplates[0] has the same name as networks[0]",
        },
      ]);
    });

    it('reports an address range that overlaps another range of the same network', async () => {
      const text = lines(
        ...SIM_BASE,
        'networks:',
        '  - name: lan',
        '    vn_mad: bridge',
        '    ar:',
        '      - ip: 10.0.0.1',
        '        size: 100',
        '      - ip: 10.0.0.50',
        '        size: 10',
      );
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 16,
          column: 13,
          path: 'networks[0].ar[1].ip',
          code: 'AddressRangeOverlapError',
          message: 'address range ar[1] 10.0.0.50–10.0.0.59 overlaps ar[0] 10.0.0.1–10.0.0.100 of the same network',
        },
      ]);
    });
  });

  describe('placeholders', () => {
    it('reports an unknown placeholder at its own column', async () => {
      const text = lines(...SIM_BASE, 'datastores:', "  - name: 'ds-${provisoin}-img'", '    ds_mad: fs', '    tm_mad: ssh');
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 11,
          column: 15,
          path: 'datastores[0].name',
          code: 'UnknownPlaceholderError',
          message:
            'unknown placeholder ${provisoin}: expected ${provision}, ${provision_id}, ${index}, ${input.NAME}, ${updates.NAME} or ${OBJECT.INDEX_OR_NAME.ATTRIBUTE}',
        },
      ]);
    });

    it('reports a reference to an undeclared input', async () => {
      const { result } = await loadText(lines(...SIM_BASE, '      plan: ${input.plan}'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 10,
          column: 13,
          path: 'hosts[0].provision.plan',
          code: 'UnknownPlaceholderError',
          message: "unknown placeholder ${input.plan}: no input 'plan' is declared (the descriptor has no inputs)",
        },
      ]);
    });

    it('reports a reference to an object the provision does not define', async () => {
      const text = lines(...SIM_BASE, 'networks:', '  - name: lan', '    vn_mad: bridge', '    datastore_hint: ${datastore.2.id}');
      const { result } = await loadText(text);
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 13,
          column: 21,
          path: 'networks[0].datastore_hint',
          code: 'UnresolvedReferenceError',
          message: 'unresolved reference ${datastore.2.id}: the provision defines no datastore',
        },
      ]);
    });
  });

  describe('providers', () => {
    it('reports packet as retired, naming the supported providers', async () => {
      const { result } = await loadText(lines("name: 'edge'", 'defaults:', '  provision:', '    driver: packet'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 4,
          column: 13,
          path: 'defaults.provision.driver',
          code: 'RetiredProviderError',
          message:
            "provider 'packet' is retired: Packet became Equinix Metal, which was shut down on 2026-06-30; supported providers: sim, aws (also ec2), onprem",
        },
      ]);
    });

    it('reports an unknown provider with its own message', async () => {
      const { result } = await loadText(lines("name: 'edge'", 'defaults:', '  provision:', '    provider_name: digitalocean'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 4,
          column: 20,
          path: 'defaults.provision.provider_name',
          code: 'UnknownProviderError',
          message:
            "unknown provider 'digitalocean': supported providers are sim, aws (also ec2), onprem (a oneprovision provider document is given with a provider file)",
        },
      ]);
    });

    it('reports a host that names another provider', async () => {
      const { result } = await loadText(lines(...SIM_BASE, '      provider_name: aws'));
      expect(errorsOf(result)).toEqual([
        {
          file: 'edge.yml',
          line: 10,
          column: 22,
          path: 'hosts[0].provision.provider_name',
          code: 'ProviderMismatchError',
          message: "every host of a provision uses its provider 'sim', found 'aws'",
        },
      ]);
    });
  });
});
