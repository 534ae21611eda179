/** The Rollout annotation declaring the requests per second a service takes at full traffic, which the plan checks each analysis window against. */
export const EXPECTED_RPS_ANNOTATION = 'infra-delivery.io/expected-requests-per-second';
