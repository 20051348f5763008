// Baseline for tests/bench/context_rows — NOT product code (the one home of these rules is
// wasm/core/src/customer_context.cpp). The same display rules as customer_context::context_rows written
// in plain JavaScript, as directly as the language allows, so the benchmark compares like with like:
//   rows of attributes.context in Object.keys order; strings as is, numbers/booleans as JSON text, null as "",
//   objects/arrays as compact JSON (JSON.stringify) with containers deeper than maxDepth shown as {…}/[…];
//   optional flatten into dotted keys; control characters → control pictures, lone surrogates → U+FFFD;
//   keys/values cut at maxKeyLength/maxValueLength code points with "…"; after maxRows a marker row.
// Input: attributes text (JSON.parse here, as the core parses it) or an already parsed object.

const DEFAULTS = { flatten: false, maxDepth: 10, maxKeyLength: 256, maxValueLength: 2000, maxRows: 1000 };
const ELLIPSIS = '\u2026';
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function picture(c) {
  const code = c.charCodeAt(0);
  if (code >= 0xd800) return '\ufffd';
  return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
}

// First `limit` code points of `s` plus "…" when it is longer; [text, cut].
function cut(s, limit) {
  if (s.length <= limit) return [s, false];
  let units = 0;
  for (let points = 0; points < limit; points++) units += s.codePointAt(units) > 0xffff ? 2 : 1;
  if (units >= s.length) return [s, false];
  return [s.slice(0, units) + ELLIPSIS, true];
}

function display(s, limit) {
  return cut(s.replace(CONTROL, picture), limit);
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// JSON.stringify with a depth limit and an output budget (stops once the budget is surely exceeded).
class Compact {
  constructor(maxDepth, budget) {
    this.maxDepth = maxDepth;
    this.budget = budget;
    this.parts = [];
    this.length = 0;
    this.depthCut = false;
  }
  put(s) {
    this.parts.push(s);
    this.length += s.length;
  }
  write(v, level) {
    if (this.length > this.budget) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) {
      this.put(JSON.stringify(v));
      return;
    }
    const array = Array.isArray(v);
    const keys = array ? null : Object.keys(v);
    if ((array ? v.length : keys.length) === 0) {
      this.put(array ? '[]' : '{}');
      return;
    }
    if (level > this.maxDepth) {
      this.put(array ? '[…]' : '{…}');
      this.depthCut = true;
      return;
    }
    this.put(array ? '[' : '{');
    if (array) {
      for (let i = 0; i < v.length; i++) {
        if (i) this.put(',');
        this.write(v[i], level + 1);
        if (this.length > this.budget) return;
      }
      this.put(']');
    } else {
      for (let i = 0; i < keys.length; i++) {
        if (i) this.put(',');
        this.put(JSON.stringify(keys[i]));
        this.put(':');
        this.write(v[keys[i]], level + 1);
        if (this.length > this.budget) return;
      }
      this.put('}');
    }
  }
}

export function contextRowsJs(attributes, options = {}) {
  const o = { ...DEFAULTS, ...options };
  const attrs = typeof attributes === 'string' ? (attributes.trim() === '' ? {} : JSON.parse(attributes)) : attributes;
  if (!isObject(attrs)) throw new Error('attributes: expected a JSON object');
  const context = attrs.context;
  if (!isObject(context)) return [];
  const rows = [];
  let omitted = 0;
  const emit = (object, prefix, level) => {
    const keys = Object.keys(object);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const path = prefix === '' ? key : prefix + '.' + key;
      const v = object[key];
      if (o.flatten && isObject(v) && level <= o.maxDepth && Object.keys(v).length > 0) {
        emit(v, path, level + 1);
        continue;
      }
      if (rows.length >= o.maxRows) {
        omitted++;
        continue;
      }
      const [shownKey, keyCut] = display(path, o.maxKeyLength);
      let value;
      let kind;
      let truncated = keyCut;
      if (typeof v === 'string') {
        kind = 'string';
        const [text, valueCut] = display(v, o.maxValueLength);
        value = text;
        truncated = truncated || valueCut;
      } else if (typeof v === 'number') {
        kind = 'number';
        value = JSON.stringify(v);
      } else if (typeof v === 'boolean') {
        kind = 'boolean';
        value = v ? 'true' : 'false';
      } else if (v === null) {
        kind = 'null';
        value = '';
      } else {
        kind = Array.isArray(v) ? 'array' : 'object';
        // Code points <= UTF-16 units <= 2 × code points: a budget of 2 × limit units is always enough.
        const writer = new Compact(o.maxDepth, 2 * o.maxValueLength + 2);
        writer.write(v, level);
        const [text, valueCut] = cut(writer.parts.join(''), o.maxValueLength);
        value = text;
        truncated = truncated || valueCut || writer.depthCut;
      }
      rows.push({ key: shownKey, value, kind, truncated });
    }
  };
  emit(context, '', 1);
  if (omitted > 0) rows.push({ key: ELLIPSIS, value: `${omitted} more not shown`, kind: 'omitted', truncated: true });
  return rows;
}
