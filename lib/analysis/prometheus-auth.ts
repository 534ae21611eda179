import * as at from '../../imports/analysistemplate-argoproj.io';

/** Properties of OAuth2 client-credentials authentication to Prometheus. */
export interface OAuth2Props {
  /** The token endpoint. */
  readonly tokenUrl: string;
  /** The OAuth2 client ID. */
  readonly clientId: string;
  /** The template arg holding the client secret; declare it with a `secretKeyRef` so the secret never lands in `dist/`. */
  readonly clientSecretArg: string;
  /**
   * Scopes to request.
   * @default - none
   */
  readonly scopes?: string[];
}

/** Properties of AWS SigV4 authentication, e.g. for Amazon Managed Service for Prometheus. */
export interface SigV4Props {
  /** The AWS region. */
  readonly region: string;
  /**
   * An IAM role to assume.
   * @default - the controller's own identity
   */
  readonly roleArn?: string;
  /**
   * A profile of the controller's AWS config to sign with.
   * @default - the default profile
   */
  readonly profile?: string;
}

/** How the Argo Rollouts controller authenticates to Prometheus. */
export class PrometheusAuth {
  /** OAuth2 client credentials; the secret comes from a template arg. */
  public static oauth2(props: OAuth2Props): PrometheusAuth {
    return new PrometheusAuth(
      { oauth2: { tokenUrl: props.tokenUrl, clientId: props.clientId, clientSecret: `{{args.${props.clientSecretArg}}}`, scopes: props.scopes } },
      [props.clientSecretArg],
    );
  }

  /** AWS SigV4 request signing. */
  public static sigv4(props: SigV4Props): PrometheusAuth {
    return new PrometheusAuth({ sigv4: { region: props.region, roleArn: props.roleArn, profile: props.profile } }, []);
  }

  private constructor(
    private readonly authentication: at.AnalysisTemplateSpecMetricsProviderPrometheusAuthentication,
    /** The args that carry secrets and so must come from a Secret. */
    public readonly secretArgs: readonly string[],
  ) {}

  /**
   * The `authentication` block of the Prometheus provider.
   * @internal
   */
  public _toJson(): at.AnalysisTemplateSpecMetricsProviderPrometheusAuthentication {
    return this.authentication;
  }
}
