import { ErrorDetail } from '../errors/app-error';

/** Keys class-transformer drops silently; as any unknown key they must be a 400 (API.md). */
const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

/**
 * Every own `__proto__`/`constructor`/`prototype` key of a parsed body or query, at any depth
 * (bodies are depth-limited before parsing), as validation details with the field path.
 */
export function forbiddenKeys(value: unknown): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const stack: { node: unknown; path: string }[] = [{ node: value, path: '' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const key of Object.keys(node)) {
      const field = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.includes(key)) {
        found.push({ field, problem: `property ${key} should not exist` });
      } else {
        stack.push({ node: (node as Record<string, unknown>)[key], path: field });
      }
    }
  }
  return found;
}
