/** The Rollout annotation declaring the requests per second a service takes at full traffic, which the plan checks each analysis window against. */
export const EXPECTED_RPS_ANNOTATION = 'infra-delivery.io/expected-requests-per-second';
/** The ConfigMap annotation recording, as a JSON object, each config key that looks like a secret by name and why it is none. */
export const NOT_SECRET_ANNOTATION = 'infra-delivery.io/not-secret';
