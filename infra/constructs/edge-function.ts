import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_ENTRY_FILE, bundledCode } from './bundling';

/** Repository root, found from this module so synth works from any working directory. */
export const REPO_ROOT = path.join(__dirname, '..', '..');

/** Where the Lambda entry files live (`lambdas/handlers/<file>.ts`). */
export const HANDLERS_DIR = path.join(REPO_ROOT, 'lambdas', 'handlers');

/**
 * The runtime of every function. The newest Node.js Lambda offers, named
 * explicitly (not NODEJS_LATEST) so a CDK upgrade never changes it unseen.
 */
export const EDGE_RUNTIME = Runtime.NODEJS_24_X;

/** Service name in every structured log line. */
export const SERVICE_NAME = 'edge-provisioner';

/**
 * CloudWatch namespace of the functions' metrics (step durations, failures by
 * error name), the same as `METRICS_NAMESPACE` of `lambdas/wiring/observability.ts`
 * (a test checks it), repeated so synth does not load Powertools.
 */
export const METRICS_NAMESPACE = 'EdgeProvisioner';

/** Properties of an {@link EdgeFunction}. */
export interface EdgeFunctionProps {
  /** Entry file name under `handlersDir`, without `.ts` (`prepare-provision`). */
  readonly handlerFile: string;
  /** Directory of the entry files. @default HANDLERS_DIR */
  readonly handlersDir?: string;
  /** What the function does, shown in the console. */
  readonly description?: string;
  /** @default Duration.minutes(2) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Powertools log level. @default 'INFO' */
  readonly logLevel?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Extra environment; access-related variables are set by `grantNeeds`. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * One Lambda step of edge-provisioner: a function on ARM64 whose code is
 * its handler bundled as an ES module with on-demand chunks (`./bundling`),
 * with its own role (no managed policies: it may write only its own log
 * group), its own log group, X-Ray tracing (the Powertools Tracer's segments)
 * and the Powertools environment (service name, log level, metrics namespace).
 * Permissions to the system's resources are added with `grantNeeds`.
 */
export class EdgeFunction extends Construct {
  /** The function. */
  public readonly function: LambdaFunction;
  /** Its execution role. */
  public readonly role: Role;
  /** Its log group. */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeFunctionProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `edge-provisioner ${props.handlerFile}`,
    });
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Stateless stack: its logs go with it; provision history lives in the table.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode({
        entry: path.join(props.handlersDir ?? HANDLERS_DIR, `${props.handlerFile}.ts`),
        projectRoot: REPO_ROOT,
        // The host-configuration role scripts are read from `roles/` beside the bundle at run time.
        copyDirs: [{ from: path.join(REPO_ROOT, 'lambdas', 'hostconfig', 'roles'), to: 'roles' }],
      }),
      handler: `${path.basename(BUNDLE_ENTRY_FILE, '.mjs')}.handler`,
      description: props.description,
      runtime: EDGE_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(2),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
    });
    this.logGroup.grantWrite(this.role);
  }
}
