/**
 * The annotation recording each rule of this library an object opts out of, with the reason given,
 * as JSON `{ "<rule>": "<reason>" }`: on a Rollout for its own rules, on an analysis template for its
 * metrics' (`<metric>/<rule>`). `npm run plan` lists them and `npm run review` flags a new one.
 * The rules are ones the Argo Rollouts controller itself does not have, kept here because they catch
 * real mistakes; an opt-out writes the configuration the controller accepts.
 */
export const ACCEPTED_RULES_ANNOTATION = 'infra-delivery.io/accepted-rules';

/** The rule ids of the opt-outs, as written in {@link ACCEPTED_RULES_ANNOTATION}. */
export const ACCEPTED_RULE = {
  /** A hand-written condition that indexes a Prometheus result (`result[0]`). */
  INDEXED_RESULT: 'indexed-result',
  /** A Job metric without `activeDeadlineSeconds`. */
  JOB_WITHOUT_DEADLINE: 'job-without-deadline',
} as const;

/** The annotation value for these opt-outs, or undefined when there are none. */
export function acceptedRulesAnnotation(accepted: Readonly<Record<string, string>>): Record<string, string> {
  return Object.keys(accepted).length ? { [ACCEPTED_RULES_ANNOTATION]: JSON.stringify(accepted) } : {};
}

/** The opt-outs an object's annotations record; empty when none or unreadable. */
export function acceptedRulesOf(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const value = annotations?.[ACCEPTED_RULES_ANNOTATION];
  if (value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)])) : {};
  } catch {
    return {};
  }
}
