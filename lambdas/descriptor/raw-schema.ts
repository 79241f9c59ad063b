import { z } from 'zod';
import { FailurePolicySchema, OverlaySchema } from '../provisioning/plan';

/**
 * Shapes of a descriptor as written (after `extends` merging, before
 * rendering). Only types are checked here; required fields that defaults can
 * supply, and rules that need rendered values, are checked while mapping.
 */

const SCALAR = 'expected a string, number or boolean';

/** An OpenNebula template attribute value as YAML gives it. */
export const ScalarSchema = z.union([z.string(), z.number(), z.boolean()], { error: SCALAR });
const AttributeSchema = ScalarSchema.nullable();

const CountSchema = z.union([z.number(), z.string()], { error: 'expected a positive integer' });

/** The types oneprovision 6.x accepts for user inputs. */
export const INPUT_TYPES = [
  'text',
  'text64',
  'password',
  'boolean',
  'number',
  'number-float',
  'range',
  'range-float',
  'list',
  'array',
  'map',
  'fixed',
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

const NumberLikeSchema = z.union([z.number(), z.string()], { error: 'expected a number' });

export const InputDefinitionSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'expected a name of letters, digits, _ and -' }),
    type: z.enum(INPUT_TYPES),
    description: z.string().nullish(),
    default: z
      .union([ScalarSchema, z.array(ScalarSchema), z.record(z.string(), ScalarSchema)], {
        error: 'expected a value, a list or a mapping of values',
      })
      .nullish(),
    min_value: NumberLikeSchema.nullish(),
    max_value: NumberLikeSchema.nullish(),
    options: z.array(ScalarSchema).nullish(),
  })
  .catchall(z.unknown());

const ProvisionSectionSchema = z
  .object({
    count: CountSchema.nullish(),
    hostname: z.union([z.string(), z.array(z.string())], { error: 'expected a host name or a list of host names' }).nullish(),
  })
  .catchall(AttributeSchema);

/** An OpenSSH public host key line. */
export const HOST_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*( .*)?$/;
export const HOST_KEY_EXPECTED = 'expected an OpenSSH public host key (`ssh-ed25519 AAAA...`)';
const HOST_KEY_OR_PLACEHOLDER = new RegExp(`${HOST_KEY.source}|\\$\\{`);

const ConnectionSchema = z
  .object({
    remote_user: z.string().nullish(),
    remote_port: z.union([z.number().int().min(1).max(65535), z.string()], { error: 'expected a port number' }).nullish(),
    // Placeholders are checked once rendered, in the host mapping.
    host_key: z.string().regex(HOST_KEY_OR_PLACEHOLDER, { error: HOST_KEY_EXPECTED }).nullish(),
  })
  .catchall(AttributeSchema);

const ConfigurationSchema = z.record(z.string(), z.unknown());

const HostSchema = z
  .object({
    im_mad: ScalarSchema.nullish(),
    vm_mad: ScalarSchema.nullish(),
    provision: ProvisionSectionSchema.nullish(),
    connection: ConnectionSchema.nullish(),
    configuration: ConfigurationSchema.nullish(),
  })
  .catchall(AttributeSchema);

const MetaSchema = z.record(z.string(), z.unknown());

const DatastoreSchema = z
  .object({
    name: ScalarSchema.nullish(),
    type: z.string().nullish(),
    provision: ProvisionSectionSchema.nullish(),
    meta: MetaSchema.nullish(),
  })
  .catchall(AttributeSchema);

const AddressRangeSchema = z
  .object({
    type: z.string().nullish(),
    ip: z.string().nullish(),
    size: CountSchema.nullish(),
    ipam_mad: z.string().nullish(),
  })
  .catchall(AttributeSchema);

const NetworkSchema = z
  .object({
    name: ScalarSchema.nullish(),
    vn_mad: ScalarSchema.nullish(),
    netrole: z.string().nullish(),
    provision: ProvisionSectionSchema.nullish(),
    ar: z.array(AddressRangeSchema).nullish(),
    meta: MetaSchema.nullish(),
  })
  .catchall(AttributeSchema);

const ClusterSchema = z
  .object({
    name: ScalarSchema.nullish(),
    description: z.string().nullish(),
    datastores: z.array(z.number().int().nonnegative()).nullish(),
    provision: ProvisionSectionSchema.nullish(),
  })
  .catchall(AttributeSchema);

/** An EventBridge pattern: nested mappings whose leaves are lists of match values. */
type EventPattern = { [key: string]: EventPattern | unknown[] };
const EventPatternSchema: z.ZodType<EventPattern> = z.lazy(() =>
  z.record(
    z.string(),
    z.union([z.array(z.unknown()), EventPatternSchema], {
      error: 'expected a list of values to match or a nested pattern (EventBridge leaves are lists)',
    }),
  ),
);

/** The whole descriptor: 6.x fields, 5.12 fields and the native extras. Other keys are kept as extras. */
export const DescriptorSchema = z
  .object({
    name: ScalarSchema,
    description: z.string().nullish(),
    playbook: z.union([z.string(), z.array(z.string())], { error: 'expected a playbook name or a list of names' }).nullish(),
    inputs: z.array(InputDefinitionSchema).nullish(),
    defaults: z
      .object({
        provision: ProvisionSectionSchema.nullish(),
        connection: ConnectionSchema.nullish(),
        configuration: ConfigurationSchema.nullish(),
      })
      .catchall(z.unknown())
      .nullish(),
    cluster: ClusterSchema.nullish(),
    hosts: z.array(HostSchema).nullish(),
    datastores: z.array(DatastoreSchema).nullish(),
    networks: z.array(NetworkSchema).nullish(),
    vntemplates: z.array(NetworkSchema).nullish(),
    ttl: z.union([z.string(), z.number()], { error: 'expected a duration such as 8h, 90m or 30s' }).nullish(),
    tags: z.record(z.string().min(1).max(128), ScalarSchema).nullish(),
    failure_policy: z
      .strictObject({
        min_healthy_hosts: z.number().int().nonnegative().nullish(),
        on_error: FailurePolicySchema.shape.onError.unwrap().nullish(),
      })
      .nullish(),
    max_concurrency: z.number().int().min(1).max(40).nullish(),
    overlay: z
      .strictObject({
        mode: OverlaySchema.shape.mode.unwrap().nullish(),
        vni: z.number().int().min(1).max(16777215).nullish(),
      })
      .nullish(),
    teardown_on: EventPatternSchema.nullish(),
  })
  .catchall(z.unknown());

/** A `oneprovider create` file. */
export const ProviderFileSchema = z
  .object({
    name: z.string().nullish(),
    description: z.string().nullish(),
    provider: z.string(),
    plain: z.record(z.string(), z.unknown()).nullish(),
    connection: z.record(z.string(), ScalarSchema).nullish(),
    inputs: z.array(InputDefinitionSchema).nullish(),
  })
  .catchall(z.unknown());

/** A values file: input name to value. */
export const InputValuesFileSchema = z.record(
  z.string(),
  z.union([ScalarSchema, z.array(ScalarSchema), z.record(z.string(), ScalarSchema)], {
    error: 'expected a value, a list or a mapping of values',
  }),
);
