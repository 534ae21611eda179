/** The pod label Argo Rollouts puts on every pod of a Rollout, naming its ReplicaSet's template hash. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** The label the Rollout selects its pods by unless given a selector, set to the Rollout's name. */
export const NAME_LABEL = 'app.kubernetes.io/name';
