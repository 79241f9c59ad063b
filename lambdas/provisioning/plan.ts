import { z } from 'zod';

/**
 * The fully rendered provision plan: what the descriptor loader produces and the
 * create machine consumes. Placeholders that can only be resolved later
 * (`${cluster.0.id}`, `${updates.NAME}`) stay in attribute values verbatim and
 * are listed in `deferred` so the registration and configuration steps know
 * which values they must substitute.
 *
 * Never contains a secret: provider credentials are referenced by `connectionRef`.
 */

/** A string-valued OpenNebula template attribute map (`KEY = "value"`). */
export const AttributesSchema = z.record(z.string(), z.string());

/** A placeholder kept for later resolution. */
export const DeferredRefSchema = z.object({
  /** Where the placeholder is, e.g. `networks[1].attributes.PHYDEV`. */
  path: z.string(),
  /** The reference inside `${…}`, e.g. `updates.default_ipv4_nic` or `cluster.0.id`. */
  ref: z.string(),
  kind: z.enum(['cluster', 'updates', 'datastore', 'network', 'host']),
});

export const ProviderRefSchema = z.object({
  /** Registry name of the provider driver: `sim`, `aws`, `onprem`. */
  name: z.string().min(1),
  /** Reference to the credentials in the secret store (never the secret itself). */
  connectionRef: z.string().optional(),
  /** Non-secret connection settings (region, subnet, endpoint, ...). */
  settings: z.record(z.string(), z.string()).default({}),
});

export const HostPlanSchema = z.object({
  /** 0-based position in the provision; also the `${index}` it was expanded with. */
  index: z.number().int().nonnegative(),
  /** Host name as registered in OpenNebula (and the provider's name for it). */
  name: z.string().min(1),
  imMad: z.string().default('kvm'),
  vmMad: z.string().default('kvm'),
  /** Provider-specific allocation parameters (instancetype, ami, plan, address...). */
  provision: z.record(z.string(), z.string()).default({}),
  /** SSH connection settings (remote user, port). */
  connection: z.object({ remoteUser: z.string().default('root'), port: z.number().int().positive().optional() }).default({
    remoteUser: 'root',
  }),
  /** Configuration parameters handed to the host roles. */
  configuration: z.record(z.string(), z.string()).default({}),
  /** Extra OpenNebula host template attributes (RESERVED_CPU, ...). */
  attributes: AttributesSchema.default({}),
  /** Pinned SSH host key (`ssh-ed25519 AAAA...`), if the operator supplied one. */
  hostKeyPin: z.string().optional(),
  /**
   * This host's share of each public network's addresses, by network name,
   * when fixed at scale-out (what the network's `publicIps` still lacks);
   * hosts of the creation share by index instead.
   */
  publicIpShare: z.record(z.string(), z.number().int().nonnegative()).optional(),
});

export const DatastorePlanSchema = z.object({
  name: z.string().min(1),
  type: z.enum(['image_ds', 'system_ds', 'file_ds']),
  attributes: AttributesSchema.default({}),
});

export const AddressRangePlanSchema = z.object({
  type: z.enum(['IP4', 'IP6', 'IP4_6', 'ETHER']).default('IP4'),
  ip: z.string().optional(),
  size: z.number().int().positive(),
  attributes: AttributesSchema.default({}),
});

export const NetworkPlanSchema = z.object({
  name: z.string().min(1),
  /** `public` networks get their addresses from the provider's IPAM. */
  role: z.enum(['public', 'private', 'other']).default('other'),
  vnMad: z.string().min(1),
  attributes: AttributesSchema.default({}),
  addressRanges: z.array(AddressRangePlanSchema).default([]),
  /** Public IPs to request from the IPAM for this network (size-1 address ranges). */
  publicIps: z.number().int().nonnegative().default(0),
  /** IPAM driver name (`sim`, `aws`, `onprem`); defaults to the provider's. */
  ipam: z.string().optional(),
  /** A VN template in oneprovision terms: instantiated per cluster, not allocated directly. */
  template: z.boolean().default(false),
});

export const FailurePolicySchema = z.object({
  /** RUNNING needs at least this many healthy hosts; fewer but more than 0 gives DEGRADED. */
  minHealthyHosts: z.number().int().nonnegative().optional(),
  /**
   * When the provision fails: `rollback` undoes everything at once (nothing stays
   * billed), `keep` leaves healthy hosts for `retry`, `teardown` keeps them until
   * the `Provision Failed` event rule deletes the provision with cleanup.
   */
  onError: z.enum(['rollback', 'keep', 'teardown']).default('rollback'),
});

export const OverlaySchema = z.object({
  mode: z.enum(['vxlan', 'evpn', 'none']).default('vxlan'),
  vni: z.number().int().min(1).max(16777215).default(4242),
});

export const ProvisionPlanSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  provider: ProviderRefSchema,
  cluster: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    attributes: AttributesSchema.default({}),
    /** Pre-existing datastores (by OpenNebula id) to add to the cluster. */
    datastoreIds: z.array(z.number().int().nonnegative()).default([]),
  }),
  hosts: z.array(HostPlanSchema),
  datastores: z.array(DatastorePlanSchema).default([]),
  networks: z.array(NetworkPlanSchema).default([]),
  overlay: OverlaySchema.default({ mode: 'vxlan', vni: 4242 }),
  deferred: z.array(DeferredRefSchema).default([]),
  /** Time to live in seconds; a schedule deletes the provision with cleanup when it expires. */
  ttlSeconds: z.number().int().positive().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  failurePolicy: FailurePolicySchema.default({ onError: 'rollback' }),
  /** Upper bound of host pipelines running at once. */
  maxConcurrency: z.number().int().positive().max(40).default(10),
  /** An EventBridge pattern that, when matched, deletes the provision with cleanup. */
  teardownOn: z.record(z.string(), z.unknown()).optional(),
});

export type Attributes = z.infer<typeof AttributesSchema>;
export type DeferredRef = z.infer<typeof DeferredRefSchema>;
export type ProviderRef = z.infer<typeof ProviderRefSchema>;
export type HostPlan = z.infer<typeof HostPlanSchema>;
export type DatastorePlan = z.infer<typeof DatastorePlanSchema>;
export type AddressRangePlan = z.infer<typeof AddressRangePlanSchema>;
export type NetworkPlan = z.infer<typeof NetworkPlanSchema>;
export type FailurePolicy = z.infer<typeof FailurePolicySchema>;
export type ProvisionPlan = z.infer<typeof ProvisionPlanSchema>;
/** A plan as callers may write it, before defaults are applied. */
export type ProvisionPlanInput = z.input<typeof ProvisionPlanSchema>;
