/** RFC 1123 label: what Kubernetes accepts for names of Services, namespaces and most objects. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** True when `name` is a valid RFC 1123 label of at most `maxLength` characters. */
export function isDnsLabel(name: string, maxLength = 63): boolean {
  return name.length <= maxLength && DNS_LABEL.test(name);
}

/** The rule text shared by every name check, so that all name errors read alike. */
export function dnsLabelRule(maxLength = 63): string {
  return `must be a lowercase rfc 1123 label (a-z, 0-9 and '-', starting and ending alphanumeric) of at most ${maxLength} characters`;
}

/** The first name that occurs more than once, or undefined when all are unique. */
export function firstDuplicate(names: readonly string[]): string | undefined {
  return names.find((name, i) => names.indexOf(name) !== i);
}

/** An IANA service name, what Kubernetes takes as a named port: a letter among lowercase alphanumerics and single inner '-'. */
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The rule text of {@link isPortName}. */
export const PORT_NAME_RULE = "at most 15 lowercase letters, digits and single inner '-', with a letter";

/** True when `name` is a valid port name, as k8s.io/apimachinery pkg/util/validation IsValidPortName checks it. */
export function isPortName(name: string): boolean {
  return name.length <= 15 && PORT_NAME.test(name);
}
