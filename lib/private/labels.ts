/** The `key=value` pairs of `selector` that `labels` lacks: why a selector would not select those pods. */
export function unmatchedLabels(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(selector).filter(([key, value]) => labels[key] !== value).map(([key, value]) => `${key}=${value}`);
}
