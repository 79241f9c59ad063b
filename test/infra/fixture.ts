import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addEdgeProvisioner, type EdgeProvisionerSettings, type EdgeProvisionerStacks } from '../../infra/edge-provisioner';

/** Repository root. */
export const ROOT = path.join(__dirname, '..', '..');

/** The feature flags and settings of `cdk.json`, so tests see what `cdk synth` sees. */
export function cdkJsonContext(): Record<string, unknown> {
  return (JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
}

/** The built system and the synthesized templates of its stacks. */
export interface Built extends EdgeProvisionerStacks {
  app: App;
  stateful: EdgeProvisionerStacks['stateful'];
  statefulTemplate: Template;
  statelessTemplate: Template;
}

/**
 * Builds the app as `infra/app.ts` does (cdk-nag registered), without
 * bundling and without the built-in CloudFormation rule check (which
 * `npm run synth` runs); call once per test file.
 */
export function buildSystem(settings: EdgeProvisionerSettings = {}): Built {
  const app = new App({
    builtinCloudFormationValidation: false,
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
  });
  const stacks = addEdgeProvisioner(app, settings);
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
}

/** A CloudFormation resource of a template. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/** Resources of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The construct path a resource was synthesized from (`stack/Steps/AllocateHost/Function/Resource`). */
export function constructPath(resource: CfnResource): string {
  return String(resource.Metadata?.['aws:cdk:path'] ?? '');
}

/** An IAM statement as synthesized. */
export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Statements of every policy attached to a role, by the role's logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties['Roles'] as Array<{ Ref?: string }>).some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
}

/** Actions of a statement as a list. */
export function actionsOf(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

/** Resources of a statement as a list. */
export function resourceList(s: Statement): unknown[] {
  return Array.isArray(s.Resource) ? s.Resource : [s.Resource];
}

/** The logical id of the resource a construct path ends in, or throws. */
export function logicalIdAt(template: Template, type: string, pathSuffix: string): string {
  const hits = Object.entries(resourcesOf(template, type)).filter(([, r]) => constructPath(r).endsWith(pathSuffix));
  if (hits.length !== 1) throw new Error(`${hits.length} ${type} resources at …${pathSuffix}`);
  return (hits[0] as [string, CfnResource])[0];
}
