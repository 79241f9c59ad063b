/**
 * Tag keys every real driver writes at create time, so compensation and leak
 * audits can find what a provision owns even when the provision document is
 * lost. The sim drivers use the same keys.
 */

/** The provision a resource belongs to. */
export const TAG_PROVISION = 'edge-provisioner:provision';
/** The host name (as registered in OpenNebula) of a machine. */
export const TAG_HOST = 'edge-provisioner:host';
/** The idempotency key of the request that created the resource. */
export const TAG_IDEMPOTENCY_KEY = 'edge-provisioner:idempotency-key';
/** Position of an address within one IPAM request (`0`, `1`, ...). */
export const TAG_ORDINAL = 'edge-provisioner:ordinal';
/** Network interface an Elastic IP's secondary private address was assigned on. */
export const TAG_INTERFACE = 'edge-provisioner:interface';
/** Secondary private address an Elastic IP maps to. */
export const TAG_PRIVATE_IP = 'edge-provisioner:private-ip';
