/**
 * Which metrics of an analysis an option (dry-run, measurement retention) applies to. The controller
 * treats each `metricName` as a Go regular expression and matches it unanchored against every metric
 * of the run (utils/analysis/helpers.go, GetDryRunMetrics and GetMeasurementRetentionMetrics), so a
 * bare `latency` would also match `latency-p99`; {@link named} anchors and escapes the name.
 */
export class MetricMatch {
  /** Exactly the metric with this name. */
  public static named(name: string): MetricMatch {
    return new MetricMatch(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, name);
  }

  /** Every metric whose name matches this regular expression anywhere, as the controller matches it; `^…$` to anchor. */
  public static pattern(regex: string): MetricMatch {
    return new MetricMatch(regex, regex);
  }

  private constructor(
    /** The regular expression written as `metricName`. */
    public readonly regex: string,
    /** The name or pattern as given, for messages. */
    public readonly given: string,
  ) {}

  /** Why the controller cannot compile the pattern, or undefined when it can. */
  public problem(): string | undefined {
    // Go's RE2 has no lookaround or backreferences; JavaScript would accept them.
    if (/\(\?<?[=!]|\\[1-9]/.test(this.regex)) return 'uses lookaround or a backreference, which go regular expressions do not support';
    try {
      new RegExp(this.regex);
      return undefined;
    } catch (e) {
      return `is not a regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '').toLowerCase()}`;
    }
  }

  /** Whether the pattern matches a metric of this name. */
  public matches(name: string): boolean {
    return new RegExp(this.regex).test(name);
  }
}
