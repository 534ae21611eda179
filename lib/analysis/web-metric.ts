import { Duration } from 'cdk8s';
import * as at from '../../imports/analysistemplate-argoproj.io';
import { seconds } from '../private/durations';
import { requireFields } from '../private/required';
import { AnalysisArg } from './analysis-arg';
import { ConditionExpression } from './condition-expression';
import { DurationField, Metric, MetricProblem, MetricProps } from './metric';
import { referencedArgs } from './promql';
import { WebCondition } from './web-condition';

/** The HTTP methods the Web provider sends (pkg/apis/rollouts/v1alpha1/analysis_types.go, WebMetricMethod). */
export class WebMethod {
  public static readonly GET = new WebMethod('GET');
  public static readonly POST = new WebMethod('POST');
  public static readonly PUT = new WebMethod('PUT');

  private constructor(public readonly value: string) {}
}

/** The Web provider's own timeout when none is set (metricproviders/webmetric/webmetric.go, NewWebMetricHttpClient). */
export const DEFAULT_WEB_TIMEOUT = Duration.seconds(10);

/** Properties of a {@link WebMetric}. */
export interface WebMetricProps extends MetricProps {
  /**
   * The URL to call; it may refer to template args as `{{args.NAME}}`, the whole URL too (e.g. one
   * with a token, from an arg backed by a Secret), which is then checked only by the controller.
   */
  readonly url: string;
  /** How the value the JSON path selects is judged. */
  readonly condition: WebCondition | ConditionExpression;
  /**
   * The value to judge, as a Kubernetes JSONPath template, e.g. `{$.data.ok}`.
   * @default '{$}' - the whole body
   */
  readonly jsonPath?: string;
  /**
   * The HTTP method.
   * @default WebMethod.GET
   */
  readonly method?: WebMethod;
  /**
   * HTTP headers. A credential header (Authorization, Cookie, X-Api-Key, or a name with "token" or
   * "secret") must take its value from args backed by a Secret.
   * @default - none
   */
  readonly headers?: Record<string, string>;
  /**
   * A text body, for POST and PUT.
   * @default - none
   */
  readonly body?: string;
  /**
   * A JSON body, for POST and PUT; sent with `Content-Type: application/json`.
   * @default - none
   */
  readonly jsonBody?: Record<string, unknown>;
  /**
   * How long a call may take, in whole seconds.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Skip verifying the server's TLS certificate.
   * @default false
   */
  readonly insecure?: boolean;
}

/** A measurement by an HTTP call whose JSON answer is judged, e.g. a smoke-test service or an external monitor. */
export class WebMetric extends Metric {
  public readonly url: string;
  public readonly condition: WebCondition | ConditionExpression;
  public readonly jsonPath?: string;
  public readonly method: WebMethod;
  public readonly headers: Readonly<Record<string, string>>;
  public readonly body?: string;
  public readonly jsonBody?: Readonly<Record<string, unknown>>;
  public readonly timeout: Duration;
  public readonly insecure: boolean;

  constructor(props: WebMetricProps) {
    super(props);
    requireFields(`metric '${props.name}'`, props, ['url', 'condition']);
    this.url = props.url;
    this.condition = props.condition;
    this.jsonPath = props.jsonPath;
    this.method = props.method ?? WebMethod.GET;
    this.headers = props.headers ?? {};
    this.body = props.body;
    this.jsonBody = props.jsonBody;
    this.timeout = props.timeout ?? DEFAULT_WEB_TIMEOUT;
    this.insecure = props.insecure ?? false;
  }

  /** The args the URL, headers and body refer to. */
  public get referencedArgs(): string[] {
    const texts = [this.url, ...Object.values(this.headers), this.body ?? '', this.jsonBody ? JSON.stringify(this.jsonBody) : ''];
    return [...new Set(texts.flatMap(referencedArgs))];
  }

  public get reviewReason(): string | undefined {
    return this.condition instanceof ConditionExpression ? this.condition.reason : undefined;
  }

  protected get argField(): string {
    return 'url';
  }

  protected durationFields(): DurationField[] {
    return [['timeout', this.timeout, 1]];
  }

  protected providerProblems(problem: MetricProblem, declaredArgs: readonly AnalysisArg[]): void {
    // A URL whose scheme or host comes from an arg, e.g. `{{args.secret-url}}` backed by a Secret to keep a
    // token out of Git (docs/analysis/web.md), is known only at run time: the provider parses it then.
    const fromArg = /^[^/]*\{\{\s*args\./.test(this.url);
    const url = parseUrl(this.url.replace(/\{\{\s*args\.[^}]+\}\}/g, 'arg'));
    if (fromArg) {
      // Nothing to check before the args are resolved.
    } else if (!url || !['http:', 'https:'].includes(url.protocol)) {
      problem('url', this.url, 'is not an http or https url', 'give the full url, e.g. https://smoke.shop.svc/check');
    } else if (url.username || url.password) {
      problem('url', this.url, 'carries a credential, which must not be written into dist/', 'send it in a header whose value is a secret-backed arg');
    }
    const path = this.jsonPath;
    // Text outside braces is a literal in a Kubernetes JSONPath template, so `$.ok` would judge the string "$.ok".
    if (path !== undefined && !/^\{\s*[$.@[][^]*\}$/.test(path)) {
      problem('jsonPath', path, 'is not a jsonpath template: outside braces it is literal text, not a lookup', `wrap it in braces, e.g. '{${path.replace(/^[{$]*/, '$')}}'`);
    }
    if (this.body !== undefined && this.jsonBody !== undefined) {
      problem('body', this.body, 'is set beside jsonBody, and the provider refuses both', 'keep one of body and jsonBody');
    }
    if ((this.body !== undefined || this.jsonBody !== undefined) && this.method === WebMethod.GET) {
      problem('method', this.method.value, 'cannot send a body; the provider allows one only with post or put', 'set method: WebMethod.POST or WebMethod.PUT');
    }
    this.headerProblems(problem, this.headers, declaredArgs);
    const conditionProblems = this.condition instanceof ConditionExpression ? this.condition.problems('condition', false) : this.condition.problems('condition');
    for (const args of conditionProblems) problem(...args);
  }

  /** @internal */
  protected _conditions(): Pick<at.AnalysisTemplateSpecMetrics, 'successCondition' | 'failureCondition'> {
    return { successCondition: this.condition.successCondition(), failureCondition: this.condition.failureCondition() };
  }

  /** @internal */
  protected _provider(): at.AnalysisTemplateSpecMetricsProvider {
    const headers = Object.entries(this.headers).map(([key, value]) => ({ key, value }));
    return {
      web: {
        url: this.url,
        method: this.method === WebMethod.GET ? undefined : this.method.value,
        headers: headers.length ? headers : undefined,
        body: this.body,
        jsonBody: this.jsonBody,
        jsonPath: this.jsonPath,
        timeoutSeconds: seconds(this.timeout),
        insecure: this.insecure || undefined,
      },
    };
  }
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
