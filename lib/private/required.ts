import { ConfigError } from '../errors/problem';

/**
 * Refuses props whose required fields are missing, as a caller that cast the types away can leave
 * them: one {@link ConfigError} in the Problem shape naming each field, instead of a TypeError deeper
 * in the construct. Nothing past a missing required field can be checked, so this throws at once.
 *
 * @param at what holds the props: a construct path, or `metric 'NAME'`
 */
export function requireFields<T extends object>(at: string, props: T | undefined, fields: readonly (keyof T & string)[]): void {
  const missing = fields.filter(field => props?.[field] === undefined || props?.[field] === null);
  if (missing.length > 0) {
    throw new ConfigError(missing.map(field => ({ at, field, value: undefined, rule: 'is required', fix: `pass ${field}; the types require it` })));
  }
}
