/**
 * A small JSON Schema (2020-12 subset) checker for compat's own config
 * schemas: type, properties, required, additionalProperties, items, enum,
 * const, pattern, min/maxLength, minimum/maximum, anyOf, oneOf, not, $ref
 * (local). Unknown keywords are refused, so the schema never says more than
 * is checked. Each problem names the field (a dotted path) and what the
 * schema expected, in words.
 */
export type JsonSchema = { [k: string]: unknown };

export interface SchemaProblem {
  /** Dotted path of the field ("limits.memory", "mounts[0].host"); '' for the document. */
  field: string;
  expected: string;
  found: unknown;
}

const KNOWN = new Set([
  '$schema', '$id', '$comment', '$defs', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties',
  'items', 'enum', 'const', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'anyOf', 'oneOf', 'not', '$ref',
]);

const typeOf = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
};

const typeWords: Record<string, string> = {
  object: 'an object', array: 'a list', string: 'a string', integer: 'a whole number', number: 'a number',
  boolean: 'true or false', null: 'null',
};

const join = (field: string, key: string | number): string =>
  typeof key === 'number' ? `${field}[${key}]` : field ? `${field}.${key}` : key;

/** What a schema accepts, in words (for anyOf/oneOf alternatives). */
export function describeSchema(s: JsonSchema, root: JsonSchema = s): string {
  if (typeof s.$ref === 'string') return describeSchema(resolveRef(root, s.$ref), root);
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  const alts = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alts) return alts.map((a) => describeSchema(a, root)).join(' or ');
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  let d = types.map((t) => typeWords[t] ?? t).join(' or ') || 'a value';
  if (typeof s.pattern === 'string') {
    d += s.pattern === '^/' ? ' starting with /' : ` matching /${s.pattern}/`;
  }
  if (typeof s.minimum === 'number' && typeof s.maximum === 'number') d += ` from ${s.minimum} to ${s.maximum}`;
  else if (typeof s.minimum === 'number') d += ` of at least ${s.minimum}`;
  else if (typeof s.maximum === 'number') d += ` of at most ${s.maximum}`;
  if (typeof s.minLength === 'number' && s.minLength > 0 && types.includes('string')) d = d.replace('a string', 'a non-empty string');
  return d;
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) throw new Error(`schema $ref "${ref}" is not local`);
  let cur: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) cur = (cur as JsonSchema)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (!cur || typeof cur !== 'object') throw new Error(`schema $ref "${ref}" names nothing`);
  return cur as JsonSchema;
}

/** Checks `value` against `schema`; returns every problem found (empty: valid). */
export function checkSchema(schema: JsonSchema, value: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  check(schema, schema, value, '', out);
  return out;
}

function check(root: JsonSchema, s: JsonSchema, v: unknown, field: string, out: SchemaProblem[]): void {
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`the schema uses "${k}", which compat's checker does not implement`);
  if (typeof s.$ref === 'string') { check(root, resolveRef(root, s.$ref), v, field, out); return; }
  const problem = (expected: string): void => { out.push({ field, expected, found: v }); };
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) { problem(describeSchema(s, root)); return; }
  }
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) { problem(JSON.stringify(s.const)); return; }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) { problem(describeSchema(s, root)); return; }
  if (typeof v === 'string') {
    if (typeof s.minLength === 'number' && v.length < s.minLength) { problem(s.minLength === 1 ? 'a non-empty string' : `a string of at least ${s.minLength} characters`); return; }
    if (typeof s.maxLength === 'number' && v.length > s.maxLength) { problem(`a string of at most ${s.maxLength} characters`); return; }
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) { problem(describeSchema(s, root)); return; }
  }
  if (typeof v === 'number') {
    if ((typeof s.minimum === 'number' && v < s.minimum) || (typeof s.maximum === 'number' && v > s.maximum)) { problem(describeSchema(s, root)); return; }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = s[key] as JsonSchema[] | undefined;
    if (!alts) continue;
    const passing = alts.filter((a) => checkSub(root, a, v));
    if (passing.length === 0 || (key === 'oneOf' && passing.length > 1)) {
      problem(typeof s.description === 'string' ? s.description : describeSchema({ [key]: alts }, root));
      return;
    }
  }
  if (s.not && checkSub(root, s.not as JsonSchema, v)) {
    const req = (s.not as JsonSchema).required as string[] | undefined;
    if (req && typeOf(v) === 'object') {
      const o = v as Record<string, unknown>;
      out.push({ field: join(field, req[req.length - 1]), expected: `only one of ${req.join(', ')}`, found: Object.fromEntries(req.map((r) => [r, o[r]])) });
    } else problem(`not ${describeSchema(s.not as JsonSchema, root)}`);
    return;
  }
  if (typeOf(v) === 'object') {
    const obj = v as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    for (const r of (s.required ?? []) as string[]) {
      if (!(r in obj)) out.push({ field: join(field, r), expected: `a value (the field is required): ${props[r] ? describeSchema(props[r], root) : 'any'}`, found: undefined });
    }
    for (const [k, val] of Object.entries(obj)) {
      if (props[k]) check(root, props[k], val, join(field, k), out);
      else if (s.additionalProperties === false) {
        const known = Object.keys(props).filter((p) => p !== '$schema');
        out.push({ field: join(field, k), expected: `no such field (known: ${known.join(', ')})`, found: val });
      } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        check(root, s.additionalProperties as JsonSchema, val, join(field, k), out);
      }
    }
  }
  if (Array.isArray(v) && s.items) v.forEach((item, i) => check(root, s.items as JsonSchema, item, join(field, i), out));
}

function checkSub(root: JsonSchema, s: JsonSchema, v: unknown): boolean {
  const out: SchemaProblem[] = [];
  check(root, s, v, '', out);
  return out.length === 0;
}

/** One problem as a sentence fragment: `limits.memory: expected ..., found "lots"`. */
export function formatProblem(p: SchemaProblem): string {
  const found = p.found === undefined ? 'nothing' : JSON.stringify(p.found);
  return `${p.field || '(the document)'}: expected ${p.expected}, found ${found && found.length > 60 ? found.slice(0, 57) + '...' : found}`;
}
