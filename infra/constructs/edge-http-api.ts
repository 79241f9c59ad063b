import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, LogGroupLogDestination, type HttpMethod, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** One route of the HTTP API. */
export interface ApiRoute {
  readonly method: HttpMethod;
  /** Path with `{param}` segments, as API Gateway writes them. */
  readonly path: string;
  /** Handler file serving it. @default the first of the API's handler files */
  readonly handler?: string;
}

/** Properties of an {@link EdgeHttpApi}. */
export interface EdgeHttpApiProps {
  /** The API functions, by handler file; the first one is the default. */
  readonly handlers: ReadonlyArray<{ readonly file: string; readonly function: IFunction }>;
  readonly routes: readonly ApiRoute[];
  /** Steady-state requests per second over the whole stage. @default 50 */
  readonly rateLimit?: number;
  /** @default 100 */
  readonly burstLimit?: number;
  /** @default RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: RetentionDays;
}

/**
 * The public HTTP API: every route IAM-authorised (SigV4), sent to a Lambda
 * function, throttled, and access-logged as JSON with the caller's identity.
 */
export class EdgeHttpApi extends Construct {
  /** The API. */
  public readonly api: HttpApi;
  /** Its `$default` stage. */
  public readonly stage: HttpStage;
  /** Access log. */
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeHttpApiProps) {
    super(scope, id);
    const [first] = props.handlers;
    if (!first) throw new Error('EdgeHttpApi needs at least one handler');
    this.api = new HttpApi(this, 'Api', {
      description: 'edge-provisioner: create, inspect, scale and delete edge clusters',
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            caller: '$context.identity.userArn',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
            latency: '$context.responseLatency',
          }),
        ),
      },
    });

    const integrations = new Map(props.handlers.map((h) => [h.file, new HttpLambdaIntegration(`${h.file}Integration`, h.function)]));
    for (const route of props.routes) {
      const file = route.handler ?? first.file;
      const integration = integrations.get(file);
      if (!integration) throw new Error(`route ${route.method} ${route.path}: no API handler file '${file}'`);
      this.api.addRoutes({ path: route.path, methods: [route.method], integration });
    }
  }

  /** Base URL of the API. */
  get url(): string {
    return this.stage.url;
  }
}
