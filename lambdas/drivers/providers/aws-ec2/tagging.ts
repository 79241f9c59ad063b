import type { Filter, ResourceType, Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { TAG_PROVISION } from '../tags';

/** EC2 tag list from a record. */
export function toTags(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Record from an EC2 tag list. */
export function fromTags(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** Tags applied atomically at create time, so no crash can leave an untagged (unfindable) resource. */
export function tagSpec(resourceType: ResourceType, tags: Record<string, string>): TagSpecification {
  return { ResourceType: resourceType, Tags: toTags(tags) };
}

/** Base tags of everything a provision owns, with a console-friendly Name. */
export function provisionTags(provisionId: string, name: string): Record<string, string> {
  return { Name: name, [TAG_PROVISION]: provisionId };
}

/** Filter on one tag value. */
export function tagFilter(key: string, value: string): Filter {
  return { Name: `tag:${key}`, Values: [value] };
}

/** Filter selecting what a provision owns. */
export function provisionFilter(provisionId: string): Filter {
  return tagFilter(TAG_PROVISION, provisionId);
}
