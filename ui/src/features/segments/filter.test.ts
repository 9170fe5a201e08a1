import { carryValue, emptyValue, fieldCatalogue, operatorLabel, operatorsFor, resolveField, valueKind } from "./fields";
import {
  MAX_DEPTH,
  appendChild,
  compileForPreview,
  compileForSave,
  countRules,
  depthOf,
  findNode,
  fromFilter,
  isComplete,
  moveNode,
  newGroup,
  newRule,
  nodeForPath,
  parentOf,
  pathsOf,
  removeNode,
  setMatch,
  updateRule,
  type DraftGroup,
  type DraftRule,
} from "./filter";
import { EXAMPLE_FILTER as EXAMPLE } from "../../../test/fakeSegments";

const rule = (g: DraftGroup, i: number) => g.children[i] as DraftRule;
const group = (g: DraftGroup, i: number) => g.children[i] as DraftGroup;

describe("filter tree", () => {
  it("reads the interchange format and writes it back unchanged", () => {
    const root = fromFilter(EXAMPLE);
    expect(root.match).toBe("all");
    expect(root.children).toHaveLength(5);
    expect(group(root, 1).match).toBe("any");
    expect(rule(group(root, 1), 0)).toMatchObject({ field: "last_interaction", op: "within_last", value: { amount: 30, unit: "days" } });
    const saved = compileForSave(root);
    expect(saved.ok && saved.filter).toEqual(EXAMPLE);
  });

  it("turns anything that is not a group into one", () => {
    expect(fromFilter(null)).toMatchObject({ kind: "group", match: "all", children: [] });
    expect(fromFilter({ field: "email", op: "is_empty" })).toMatchObject({ match: "all", children: [{ field: "email", op: "is_empty" }] });
    expect(fromFilter({ any: [{ nonsense: 1 }, 5, { field: "city", op: "eq", value: "Leeds" }] }).children).toHaveLength(1);
  });

  it("knows which rules are complete from the shape of their value", () => {
    const ok = (op: string, value: unknown) => isComplete({ op, value });
    expect(ok("is_empty", undefined)).toBe(true);
    expect(ok("eq", "pro")).toBe(true);
    expect(ok("eq", "  ")).toBe(false);
    expect(ok("gte", 0)).toBe(true);
    expect(ok("gte", null)).toBe(false);
    expect(ok("gte", Number.NaN)).toBe(false);
    expect(ok("has_any", [])).toBe(false);
    expect(ok("has_any", ["vip"])).toBe(true);
    expect(ok("between", [1, null])).toBe(false);
    expect(ok("between", ["2024-01-01", ""])).toBe(false);
    expect(ok("between", ["2024-01-01", "2024-02-01"])).toBe(true);
    expect(ok("within_last", { amount: null, unit: "days" })).toBe(false);
    expect(ok("within_last", { amount: 3, unit: "weeks" })).toBe(true);
    expect(ok("in", { weird: true })).toBe(false);
  });

  it("previews without the rules that lack a value, and maps the sent paths back to the builder's nodes", () => {
    const root = fromFilter({
      all: [
        { field: "email", op: "contains", value: "" },
        { any: [{ field: "city", op: "eq", value: " Leeds " }, { field: "tag", op: "has_any", value: [] }] },
        { any: [{ field: "tag", op: "has_all", value: [] }] },
        { field: "email", op: "is_empty" },
      ],
    });
    const { filter, nodeAt, skipped } = compileForPreview(root);
    expect(filter).toEqual({ all: [{ any: [{ field: "city", op: "eq", value: "Leeds" }] }, { field: "email", op: "is_empty" }] });
    expect(skipped).toEqual([rule(root, 0).id, rule(group(root, 1), 1).id, rule(group(root, 2), 0).id]);
    expect(nodeAt.get("")).toBe(root.id);
    expect(nodeAt.get("all[0]")).toBe(group(root, 1).id);
    expect(nodeAt.get("all[0].any[0]")).toBe(rule(group(root, 1), 0).id);
    expect(nodeAt.get("all[1]")).toBe(rule(root, 3).id);
    expect(nodeAt.size).toBe(4);
  });

  it("sends an empty root group when nothing is complete", () => {
    const root = newGroup("any", [newRule("tag", "has_any", [])]);
    expect(compileForPreview(root).filter).toEqual({ any: [] });
  });

  it("refuses to save incomplete rules and empty subgroups, naming each", () => {
    const root = fromFilter({ all: [{ field: "email", op: "eq", value: "" }, { any: [] }, { field: "revenue", op: "gt", value: 5 }] });
    const result = compileForSave(root);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      [rule(root, 0).id]: "Enter a value, or remove this rule",
      [group(root, 1).id]: "Add a condition to this group, or remove it",
    });
    expect(compileForSave(newGroup("all")).ok).toBe(true);
  });

  it("finds the node a backend error path names", () => {
    const root = fromFilter(EXAMPLE);
    const saved = compileForSave(root);
    if (!saved.ok) throw new Error("example should be valid");
    const inner = rule(group(root, 1), 1).id;
    expect(nodeForPath("filter.all[1].any[1]", saved.nodeAt, root.id)).toBe(inner);
    expect(nodeForPath("all[1].any[1]", saved.nodeAt, root.id)).toBe(inner);
    expect(nodeForPath("filter", saved.nodeAt, root.id)).toBe(root.id);
    expect(nodeForPath("filter.all[99]", saved.nodeAt, root.id)).toBe(root.id);
    expect(pathsOf(root).get(inner)).toBe("all[1].any[1]");
  });

  it("edits the tree without changing the original", () => {
    const root = fromFilter(EXAMPLE);
    const sub = group(root, 1);
    const first = rule(root, 0);
    const edited = updateRule(root, first.id, { value: ["vip"] });
    expect(rule(edited, 0).value).toEqual(["vip"]);
    expect(rule(root, 0).value).toEqual(["vip", "newsletter"]);
    expect(edited.children[1]).toBe(sub);

    expect(setMatch(root, sub.id, "none").children[1]).toMatchObject({ match: "none" });
    expect(removeNode(root, sub.id).children).toHaveLength(4);
    const added = appendChild(root, sub.id, newRule("email", "is_empty", undefined));
    expect(group(added, 1).children).toHaveLength(3);
    expect(countRules(added)).toBe(7);
    expect(findNode(added, sub.id)).toBe(added.children[1]);
    expect(parentOf(added, rule(sub, 0).id)).toBe(added.children[1]);
    expect(parentOf(added, added.id)).toBeNull();
  });

  it("moves a node among its siblings, and not past either end", () => {
    const root = fromFilter(EXAMPLE);
    const ids = root.children.map((c) => c.id);
    const down = moveNode(root, ids[0]!, 1);
    expect(down.children.map((c) => c.id)).toEqual([ids[1], ids[0], ids[2], ids[3], ids[4]]);
    const up = moveNode(root, ids[4]!, -1);
    expect(up.children.map((c) => c.id)).toEqual([ids[0], ids[1], ids[2], ids[4], ids[3]]);
    expect(moveNode(root, ids[0]!, -1)).toBe(root);
    expect(moveNode(root, ids[4]!, 1)).toBe(root);
    const inner = rule(group(root, 1), 1).id;
    expect(group(moveNode(root, inner, -1), 1).children[0]!.id).toBe(inner);
  });

  it("does not nest groups deeper than the engine allows", () => {
    let root = newGroup("all");
    let deepest = root.id;
    for (let d = 1; d < MAX_DEPTH; d++) {
      const g = newGroup("any");
      root = appendChild(root, deepest, g);
      deepest = g.id;
    }
    expect(depthOf(root, deepest)).toBe(MAX_DEPTH);
    expect(appendChild(root, deepest, newGroup("all"))).toBe(root);
    expect(appendChild(root, deepest, newRule("email", "is_empty", undefined))).not.toBe(root);
    expect(depthOf(root, "nope")).toBe(0);
  });
});

describe("field catalogue", () => {
  const custom = [
    { key: "plan", kind: "text" as const },
    { key: "seats", kind: "number" as const },
    { key: "renewal", kind: "date" as const },
    { key: "trial", kind: "boolean" as const },
  ];

  it("lists the built-in fields, then custom fields, then segments, and no engagement fields", () => {
    const fields = fieldCatalogue(custom).map((f) => f.field);
    expect(fields.slice(0, 3)).toEqual(["first_name", "last_name", "email"]);
    expect(fields.slice(-5)).toEqual(["custom.plan", "custom.renewal", "custom.seats", "custom.trial", "segment"]);
    expect(fields.some((f) => /open|click/.test(f))).toBe(false);
  });

  it("gives each kind of field its operators", () => {
    const ops = (field: string) => operatorsFor(resolveField(field, custom).type);
    expect(ops("company")).toEqual(["eq", "neq", "contains", "not_contains", "starts_with", "ends_with", "in", "not_in", "is_empty", "is_not_empty"]);
    expect(ops("custom.plan")).toEqual(ops("company"));
    expect(ops("country")).toEqual(["eq", "neq", "in", "not_in", "is_empty", "is_not_empty"]);
    expect(ops("tag")).toEqual(["has_any", "has_all", "has_none"]);
    expect(ops("revenue")).toEqual(["eq", "neq", "gt", "gte", "lt", "lte", "between"]);
    expect(ops("custom.seats")).toEqual(["eq", "neq", "gt", "gte", "lt", "lte", "between", "is_empty", "is_not_empty"]);
    expect(ops("created_at")).toEqual(["before", "after", "between", "within_last", "more_than_ago", "is_empty", "is_not_empty"]);
    expect(ops("custom.renewal")).toEqual(ops("last_interaction"));
    expect(ops("custom.trial")).toEqual(["is_true", "is_false", "is_empty", "is_not_empty"]);
    expect(ops("email_status")).toEqual(["in", "not_in"]);
    expect(ops("segment")).toEqual(["in", "not_in"]);
    expect(ops("project_status")).toEqual(["in", "not_in", "is_empty"]);
  });

  it("treats a custom field nobody has any more as text, and keeps unknown fields as they are", () => {
    expect(resolveField("custom.gone", custom)).toMatchObject({ type: "text", group: "Custom fields", label: "gone" });
    const odd = resolveField("opened", custom);
    expect(odd.type).toBe("unknown");
    expect(operatorsFor(odd.type, "within_last")).toEqual(["within_last"]);
    expect(operatorsFor(odd.type)).toEqual([]);
    expect(valueKind(odd.type, "within_last")).toBe("raw");
  });

  it("labels operators in words that fit the field", () => {
    expect(operatorLabel("text", "not_contains")).toBe("does not contain");
    expect(operatorLabel("project_status", "in")).toBe("has a project that is");
    expect(operatorLabel("segment", "not_in")).toBe("is not in");
    expect(operatorLabel("date", "is_empty")).toBe("is not set");
    expect(operatorLabel("text", "mystery")).toBe("mystery");
  });

  it("chooses a value input per field and operator, and starts it empty", () => {
    const cases: [string, string, string, unknown][] = [
      ["text", "eq", "text", ""],
      ["text", "in", "textList", []],
      ["country", "eq", "country", ""],
      ["country", "not_in", "countryList", []],
      ["tag", "has_all", "tags", []],
      ["project_status", "in", "projectStatuses", []],
      ["project_status", "is_empty", "none", undefined],
      ["email_status", "in", "emailStatuses", []],
      ["sms_status", "not_in", "smsStatuses", []],
      ["revenue", "gte", "number", null],
      ["number", "between", "numberRange", [null, null]],
      ["date", "before", "date", ""],
      ["date", "between", "dateRange", ["", ""]],
      ["date", "more_than_ago", "relative", { amount: null, unit: "days" }],
      ["boolean", "is_true", "none", undefined],
      ["segment", "in", "segment", ""],
    ];
    for (const [type, op, kind, empty] of cases) {
      const k = valueKind(type as Parameters<typeof valueKind>[0], op);
      expect([type, op, k]).toEqual([type, op, kind]);
      expect(emptyValue(k)).toEqual(empty);
    }
  });

  it("carries a value over when the operator changes, where it still fits", () => {
    expect(carryValue("text", "text", "ada")).toBe("ada");
    expect(carryValue("text", "textList", " ada ")).toEqual(["ada"]);
    expect(carryValue("text", "textList", "")).toEqual([]);
    expect(carryValue("countryList", "country", ["GB", "IE"])).toBe("GB");
    expect(carryValue("countryList", "country", [])).toBe("");
    expect(carryValue("date", "relative", "2024-01-01")).toEqual({ amount: null, unit: "days" });
    expect(carryValue("number", "none", 5)).toBeUndefined();
  });
});
