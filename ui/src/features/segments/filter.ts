// The segment filter: its JSON interchange format (what segments_* commands
// take and return), the editable tree the builder works on, and the
// conversions between the two.

// ---- the interchange format ----

export type GroupMatch = "all" | "any" | "none";
export const GROUP_MATCHES: readonly GroupMatch[] = ["all", "any", "none"];

export type RelativeUnit = "days" | "weeks" | "months" | "years";
export const RELATIVE_UNITS: readonly RelativeUnit[] = ["days", "weeks", "months", "years"];

/** `{"amount": 30, "unit": "days"}`, for `within_last` and `more_than_ago`. */
export type RelativeValue = { amount: number; unit: RelativeUnit };

/**
 * A rule's value: a string (text, country, a "YYYY-MM-DD" date, a segment
 * id), a number (revenue in major units, a custom number), a list of strings
 * (tags, statuses, text or countries for `in`), a `[lo, hi]` pair for
 * `between`, or a relative date. Omitted for operators that take none.
 */
export type RuleValue = string | number | string[] | [number, number] | [string, string] | RelativeValue;

/** `{"field": "revenue", "op": "gte", "value": 10000}`; `field` may be `custom.<key>`. */
export type FilterRule = { field: string; op: string; value?: RuleValue };

export type FilterGroup = { all: FilterNode[] } | { any: FilterNode[] } | { none: FilterNode[] };

export type FilterNode = FilterRule | FilterGroup;

/** A whole filter is a group. `{"all": []}` has no conditions and matches every contact. */
export type Filter = FilterGroup;

/** Operators that take no value. */
export const VALUELESS_OPS: ReadonlySet<string> = new Set(["is_empty", "is_not_empty", "is_true", "is_false"]);

/** The engine refuses filters nested deeper than this many groups (the root group is depth 1). */
export const MAX_DEPTH = 8;

// ---- the builder's tree ----

/**
 * What a value input holds while it is being edited: the JSON value, or a
 * partial one (`""`, `null`, `[]`, `[lo, null]`, `{amount: null, unit}`), or
 * a value of a shape this UI does not edit, kept as it was loaded.
 */
export type DraftValue = unknown;

export type DraftRule = { kind: "rule"; id: string; field: string; op: string; value: DraftValue };
export type DraftGroup = { kind: "group"; id: string; match: GroupMatch; children: DraftNode[] };
export type DraftNode = DraftRule | DraftGroup;

let nextId = 0;
export const newNodeId = (): string => `n${++nextId}`;

export function newGroup(match: GroupMatch = "all", children: DraftNode[] = []): DraftGroup {
  return { kind: "group", id: newNodeId(), match, children };
}

export function newRule(field: string, op: string, value: DraftValue): DraftRule {
  return { kind: "rule", id: newNodeId(), field, op, value };
}

function groupEntry(node: object): [GroupMatch, unknown[]] | null {
  for (const m of GROUP_MATCHES) {
    const children = (node as Record<string, unknown>)[m];
    if (Array.isArray(children)) return [m, children];
  }
  return null;
}

/** The builder's tree for a stored filter. Anything that is not a group becomes an empty "all" group. */
export function fromFilter(filter: unknown): DraftGroup {
  const node = filter && typeof filter === "object" ? fromNode(filter) : null;
  return node?.kind === "group" ? node : newGroup("all", node ? [node] : []);
}

function fromNode(raw: object): DraftNode | null {
  const group = groupEntry(raw);
  if (group) {
    const children = group[1].flatMap((c) => {
      const n = c && typeof c === "object" ? fromNode(c) : null;
      return n ? [n] : [];
    });
    return newGroup(group[0], children);
  }
  const r = raw as Partial<Record<keyof FilterRule, unknown>>;
  if (typeof r.field !== "string" || typeof r.op !== "string") return null;
  return newRule(r.field, r.op, structuredClone(r.value));
}

// ---- completeness ----

const filled = (s: unknown): s is string => typeof s === "string" && s.trim() !== "";
const finite = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);

/**
 * Whether a rule has everything its operator needs, judged from the value's
 * shape alone: text, lists, numbers, `[lo, hi]` pairs and relative dates.
 */
export function isComplete(rule: Pick<DraftRule, "op" | "value">): boolean {
  if (VALUELESS_OPS.has(rule.op)) return true;
  const v = rule.value;
  if (typeof v === "string") return filled(v);
  if (typeof v === "number") return finite(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return false;
    return v.every((x) => filled(x) || finite(x));
  }
  if (v && typeof v === "object" && "amount" in v && "unit" in v) {
    return finite((v as { amount: unknown }).amount) && filled((v as { unit: unknown }).unit);
  }
  return false;
}

/** The JSON for one complete rule: text is trimmed, and valueless operators carry no value. */
function ruleJson(rule: DraftRule): FilterRule {
  if (VALUELESS_OPS.has(rule.op)) return { field: rule.field, op: rule.op };
  const v = rule.value;
  const value = typeof v === "string" ? v.trim() : Array.isArray(v) ? v.map((x: unknown) => (typeof x === "string" ? x.trim() : x)) : v;
  return { field: rule.field, op: rule.op, value: value as RuleValue };
}

// ---- paths ----

/** `""` for the root group, else `all[1].any[0]`: each step is the containing group's key and the index in it. */
export function childPath(parentPath: string, match: GroupMatch, index: number): string {
  const step = `${match}[${index}]`;
  return parentPath === "" ? step : `${parentPath}.${step}`;
}

/** Every node's path in the tree as it stands (incomplete rules included). */
export function pathsOf(root: DraftGroup): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (g: DraftGroup, path: string) => {
    out.set(g.id, path);
    g.children.forEach((c, i) => {
      const p = childPath(path, g.match, i);
      if (c.kind === "group") walk(c, p);
      else out.set(c.id, p);
    });
  };
  walk(root, "");
  return out;
}

// ---- compiling for the backend ----

export type Compiled = {
  filter: Filter;
  /** Path in `filter` → the id of the builder node it came from. */
  nodeAt: Map<string, string>;
  /** Rules left out because they lack a value. */
  skipped: string[];
};

/**
 * The filter to preview: rules without a value are left out (and listed), and
 * so are groups that are left with nothing in them; paths are renumbered to
 * match what is sent, and `nodeAt` maps them back.
 */
export function compileForPreview(root: DraftGroup): Compiled {
  const nodeAt = new Map<string, string>();
  const skipped: string[] = [];
  const walk = (g: DraftGroup, path: string): FilterGroup | null => {
    const children: FilterNode[] = [];
    const pending: [string, string][] = [];
    for (const c of g.children) {
      const p = childPath(path, g.match, children.length);
      if (c.kind === "rule") {
        if (!isComplete(c)) {
          skipped.push(c.id);
          continue;
        }
        children.push(ruleJson(c));
        pending.push([p, c.id]);
      } else {
        const sub = walk(c, p);
        if (sub) children.push(sub);
      }
    }
    if (children.length === 0 && path !== "") return null;
    nodeAt.set(path, g.id);
    for (const [p, id] of pending) nodeAt.set(p, id);
    return { [g.match]: children } as FilterGroup;
  };
  const filter = walk(root, "")!;
  return { filter, nodeAt, skipped };
}

export type StrictResult =
  | { ok: true; filter: Filter; nodeAt: Map<string, string> }
  /** Node id → why it cannot be saved. */
  | { ok: false; errors: Record<string, string> };

/** The filter to save: every rule must have its value and every group below the root a condition. */
export function compileForSave(root: DraftGroup): StrictResult {
  const errors: Record<string, string> = {};
  const walk = (g: DraftGroup, path: string): FilterGroup => {
    if (g.children.length === 0 && path !== "") errors[g.id] = "Add a condition to this group, or remove it";
    const children = g.children.map((c, i): FilterNode => {
      if (c.kind === "group") return walk(c, childPath(path, g.match, i));
      if (!isComplete(c)) errors[c.id] = "Enter a value, or remove this rule";
      return ruleJson(c);
    });
    return { [g.match]: children } as FilterGroup;
  };
  const filter = walk(root, "");
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const nodeAt = new Map<string, string>();
  for (const [id, path] of pathsOf(root)) nodeAt.set(path, id);
  return { ok: true, filter, nodeAt };
}

/**
 * The node a backend error path names (`field` "filter" or "filter.all[1]",
 * or an issue path "all[1]"), or the root when the path is not one we sent.
 */
export function nodeForPath(path: string, nodeAt: Map<string, string>, rootId: string): string {
  const p = path === "filter" ? "" : path.startsWith("filter.") ? path.slice("filter.".length) : path;
  return nodeAt.get(p) ?? rootId;
}

// ---- editing the tree (each returns a new tree; unchanged branches are shared) ----

export function findNode(root: DraftGroup, id: string): DraftNode | null {
  if (root.id === id) return root;
  for (const c of root.children) {
    if (c.id === id) return c;
    if (c.kind === "group") {
      const found = findNode(c, id);
      if (found) return found;
    }
  }
  return null;
}

/** The group holding `id`, or null for the root (or an unknown id). */
export function parentOf(root: DraftGroup, id: string): DraftGroup | null {
  for (const c of root.children) {
    if (c.id === id) return root;
    if (c.kind === "group") {
      const found = parentOf(c, id);
      if (found) return found;
    }
  }
  return null;
}

/** How deep a group sits: the root is 1, its subgroups 2, … (0 for an unknown id). */
export function depthOf(root: DraftGroup, id: string, depth = 1): number {
  if (root.id === id) return depth;
  for (const c of root.children) {
    if (c.kind === "group") {
      const d = depthOf(c, id, depth + 1);
      if (d) return d;
    }
  }
  return 0;
}

function mapGroups(g: DraftGroup, fn: (g: DraftGroup) => DraftGroup): DraftGroup {
  let changed = false;
  const children = g.children.map((c) => {
    if (c.kind !== "group") return c;
    const next = mapGroups(c, fn);
    if (next !== c) changed = true;
    return next;
  });
  return fn(changed ? { ...g, children } : g);
}

export function updateRule(root: DraftGroup, id: string, patch: Partial<Omit<DraftRule, "kind" | "id">>): DraftGroup {
  return mapGroups(root, (g) =>
    g.children.some((c) => c.id === id && c.kind === "rule")
      ? { ...g, children: g.children.map((c) => (c.id === id ? { ...(c as DraftRule), ...patch } : c)) }
      : g,
  );
}

export function setMatch(root: DraftGroup, id: string, match: GroupMatch): DraftGroup {
  return mapGroups(root, (g) => (g.id === id ? { ...g, match } : g));
}

/** Adds `node` at the end of group `groupId`; a group is not added below MAX_DEPTH. */
export function appendChild(root: DraftGroup, groupId: string, node: DraftNode): DraftGroup {
  if (node.kind === "group" && depthOf(root, groupId) >= MAX_DEPTH) return root;
  return mapGroups(root, (g) => (g.id === groupId ? { ...g, children: [...g.children, node] } : g));
}

export function removeNode(root: DraftGroup, id: string): DraftGroup {
  return mapGroups(root, (g) => (g.children.some((c) => c.id === id) ? { ...g, children: g.children.filter((c) => c.id !== id) } : g));
}

/** Moves a node up (-1) or down (+1) among its siblings; nothing happens at either end. */
export function moveNode(root: DraftGroup, id: string, delta: -1 | 1): DraftGroup {
  return mapGroups(root, (g) => {
    const i = g.children.findIndex((c) => c.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= g.children.length) return g;
    const children = [...g.children];
    [children[i], children[j]] = [children[j]!, children[i]!];
    return { ...g, children };
  });
}

/** How many rules the tree has, complete or not. */
export function countRules(g: DraftGroup): number {
  return g.children.reduce((n, c) => n + (c.kind === "rule" ? 1 : countRules(c)), 0);
}
