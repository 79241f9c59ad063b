import type { SecretStore } from '../provisioning/ports/secrets';
import type { ProvisionPlan } from '../provisioning/plan';

/** What went wrong, as a stable machine-readable name. */
export type DescriptorErrorCode =
  | 'FileReadError'
  | 'YamlSyntaxError'
  | 'ExtendsCycleError'
  | 'SchemaError'
  | 'InvalidFieldError'
  | 'RequiredFieldError'
  | 'InputMissingError'
  | 'InputValueError'
  | 'InvalidCountError'
  | 'DuplicateNameError'
  | 'AddressRangeOverlapError'
  | 'UnknownPlaceholderError'
  | 'UnresolvedReferenceError'
  | 'RetiredProviderError'
  | 'UnknownProviderError'
  | 'ProviderMismatchError'
  | 'OpenNebulaRuleError'
  | 'Warning';

/**
 * One problem in a descriptor, located where the offending value was written
 * (the file inside an `extends` tree, not the file that was loaded).
 */
export interface DescriptorError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path in the merged descriptor, e.g. `hosts[1].provision.instancetype`; empty for the whole file. */
  path: string;
  /** What was expected and what was found; never contains a secret value. */
  message: string;
  code: DescriptorErrorCode;
}

/** Minimal file access the loader needs; replaceable in tests. */
export interface DescriptorFs {
  readFile(path: string): Promise<string>;
}

/** Options shared by {@link loadDescriptorFile} and {@link loadDescriptorText}. */
export interface LoadOptions {
  /** Where inline credentials are moved to; the plan only keeps the returned reference. */
  secretStore: SecretStore;
  /**
   * The provision id, when already allocated. Without it `${provision_id}`
   * stays verbatim in the plan; see `substituteProvisionId`.
   */
  provisionId?: string;
  /** Input values (`--input NAME=VALUE`); they win over the inputs file and defaults. */
  inputs?: Readonly<Record<string, string>>;
  /** A YAML or JSON mapping of input values. */
  inputsFile?: string;
  /** A `oneprovider` provider file (`provider`, `connection`, `inputs`). */
  providerFile?: string;
  /** Directory relative file names resolve against; defaults to the process's. */
  cwd?: string;
  fs?: DescriptorFs;
}

/** Options of {@link loadDescriptorText}. */
export interface LoadTextOptions extends LoadOptions {
  /** Name used in error positions; defaults to `<descriptor>`. */
  sourceName?: string;
  /** Directory `extends` paths resolve against, and must stay inside; defaults to the directory of `sourceName`. */
  baseDir?: string;
}

/** Outcome of loading a descriptor: a plan, or every error found. */
export type LoadResult =
  | { ok: true; plan: ProvisionPlan; warnings: DescriptorError[] }
  | { ok: false; errors: DescriptorError[]; warnings: DescriptorError[] };
