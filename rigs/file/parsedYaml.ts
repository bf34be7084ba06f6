// Reading YAML as parsed, before validation: trust no type.
//   at(content, 'terminal', 'link', 'path')  → the value, or undefined where a step is missing or not a mapping

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is a mapping that has `key` (with any value, even null). */
export function has(value: unknown, key: string): boolean {
  return isObject(value) && Object.hasOwn(value, key);
}

/** The value at a key path of parsed YAML, or undefined where a step is missing or not a mapping. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
