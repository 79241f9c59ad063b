/**
 * Which EC2 instance types can run KVM guests: bare-metal types (`*.metal`,
 * `*.metal-24xl`, ...) and, since early 2026, the virtual 8th-generation Intel
 * families with nested virtualisation (c8i, m8i, r8i and their flex
 * variants), which must be launched with nested virtualisation enabled.
 */

const METAL = /\.metal(-\d+xl)?$/;
const NESTED_VIRT = /^(c8i|m8i|r8i)(-flex)?\.[a-z0-9-]+$/;
// Graviton families carry a `g` after the generation digit (c6g, m7g, c8g, r8gd...), a1 too.
const ARM = /^([a-z]+\d+g[a-z]*|a1)\./;

/** How an instance type can host KVM. */
export type KvmSupport = 'metal' | 'nested' | 'none';

/** Classifies an instance type for KVM hosting. */
export function kvmSupport(instanceType: string): KvmSupport {
  if (METAL.test(instanceType)) return 'metal';
  if (NESTED_VIRT.test(instanceType)) return 'nested';
  return 'none';
}

/** CPU architecture of an instance type, for choosing a default image. */
export function architectureOf(instanceType: string): 'x86_64' | 'arm64' {
  return ARM.test(instanceType) ? 'arm64' : 'x86_64';
}
