/**
 * Settings of the "customer-context" feature, read from
 * `ui_attributes.custom_data.features.flexcore.customer_context`:
 *
 * ```json
 * "customer_context": { "enabled": true, "user_id_attribute": "userId", "id_type": "user_id", "flatten": false }
 * ```
 * - `enabled` (default true): the "Customer" task canvas tab;
 * - `user_id_attribute` (default "userId", the seed's task attribute): the task attribute holding the Segment
 *   identifier; a dotted path (`customer.id`) reads a nested attribute;
 * - `id_type` (default "user_id"): the Segment identifier type sent as `idType` (`email`, `phone`, …);
 * - `flatten` (default false): show nested context objects as dotted keys (`address.city`).
 * The Segment section also needs flexcore-server (`server_url`); without it only "Bot context" is shown.
 * A value of the wrong type is ignored and listed in `problems`.
 */

/** Resolved settings. */
export interface CustomerContextSettings {
  enabled: boolean;
  userIdAttribute: string;
  idType: string;
  flatten: boolean;
  /** Human-readable problems (wrong types); the defaults are used instead. */
  problems: string[];
}

const ID_TYPE = /^[A-Za-z0-9_.]{1,64}$/;

/** Resolves the raw `customer_context` object (anything) into settings with defaults. */
export function resolveCustomerContextSettings(raw: unknown): CustomerContextSettings {
  const settings: CustomerContextSettings = {
    enabled: true,
    userIdAttribute: 'userId',
    idType: 'user_id',
    flatten: false,
    problems: [],
  };
  if (raw === undefined || raw === null) return settings;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    settings.problems.push(`customer_context must be an object, got ${JSON.stringify(raw)}`);
    return settings;
  }
  const value = raw as Record<string, unknown>;
  if (value.enabled !== undefined) {
    if (typeof value.enabled === 'boolean') settings.enabled = value.enabled;
    else settings.problems.push(`customer_context.enabled must be true or false, got ${JSON.stringify(value.enabled)}`);
  }
  if (value.user_id_attribute !== undefined) {
    if (typeof value.user_id_attribute === 'string' && value.user_id_attribute.trim() !== '') {
      settings.userIdAttribute = value.user_id_attribute.trim();
    } else {
      settings.problems.push(
        `customer_context.user_id_attribute must be a non-empty string, got ${JSON.stringify(value.user_id_attribute)}`,
      );
    }
  }
  if (value.id_type !== undefined) {
    if (typeof value.id_type === 'string' && ID_TYPE.test(value.id_type)) settings.idType = value.id_type;
    else
      settings.problems.push(
        `customer_context.id_type must be 1-64 characters from A-Z, a-z, 0-9, '_' and '.', got ${JSON.stringify(value.id_type)}`,
      );
  }
  if (value.flatten !== undefined) {
    if (typeof value.flatten === 'boolean') settings.flatten = value.flatten;
    else settings.problems.push(`customer_context.flatten must be true or false, got ${JSON.stringify(value.flatten)}`);
  }
  return settings;
}

/**
 * The Segment identifier of a task: the attribute `path` (dotted for nested objects) when it is a non-empty
 * string or a finite number; undefined otherwise (the Segment section is then hidden, seed-behaviour 2.7).
 */
export function readUserId(attributes: unknown, path: string): string | undefined {
  let current: unknown = attributes;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'string' && current.trim() !== '') return current;
  if (typeof current === 'number' && Number.isFinite(current)) return String(current);
  return undefined;
}
