import { waitFor } from "@testing-library/react";
import type { SegmentPreview } from "../bindings/SegmentPreview";
import type { SegmentPreviewQuery } from "../bindings/SegmentPreviewQuery";
import { FakeBackend, commandError } from "../../test/fakeBackend";
import { EXAMPLE_FILTER, FakeSegments } from "../../test/fakeSegments";
import { type DraftGroup, type DraftRule } from "../features/segments/filter";
import { NAME_REQUIRED, PREVIEW_DEBOUNCE_MS, PREVIEW_PAGE_SIZE, useSegmentsStore } from "./segments";

const store = () => useSegmentsStore.getState();
const editor = () => store().editor;
const root = () => editor().root;
const previews = (fake: FakeBackend) => fake.callsOf("segments_preview").map((c) => (c.args as { query: SegmentPreviewQuery }).query);

function setup(contacts = 3) {
  const fake = new FakeBackend().install();
  for (let i = 0; i < contacts; i++) {
    fake.add({ firstName: `P${String(i).padStart(3, "0")}`, email: `p${i}@example.com`, tags: i % 2 ? ["vip"] : [], revenueMinor: i * 100_00 });
  }
  const segs = new FakeSegments(fake).install();
  return { fake, segs };
}

/** Resolves the next preview request when `release` is called. */
function heldPreviews(fake: FakeBackend, segs: FakeSegments) {
  const held: { query: SegmentPreviewQuery; release: (over?: Partial<SegmentPreview>) => void }[] = [];
  fake.on("segments_preview", (args) => {
    const query = args.query as SegmentPreviewQuery;
    return new Promise((resolve) => {
      held.push({
        query,
        release: (over = {}) => resolve({ count: segs.matching(query.filter).length, items: [], nextCursor: null, elapsedMs: 1, ticket: query.ticket, ...over }),
      });
    });
  });
  return held;
}

describe("segments store: the list", () => {
  it("loads the segments, then refreshes the counts that are out of date", async () => {
    const { fake, segs } = setup(4);
    const vip = segs.add({ name: "VIP", filter: { all: [{ field: "tag", op: "has_any", value: ["vip"] }] }, count: 1, countFresh: false });
    segs.add({ name: "All", count: 4 });
    await store().loadList();
    expect(store().list.status).toBe("ready");
    expect(store().list.items.map((s) => s.name)).toEqual(["All", "VIP"]);
    expect(fake.callsOf("segments_count").map((c) => c.args)).toEqual([{ id: vip.id }]);
    expect(store().list.items.find((s) => s.id === vip.id)).toMatchObject({ count: 2, countFresh: true });
  });

  it("keeps the stale count and says why when a refresh fails", async () => {
    const { fake, segs } = setup();
    const s = segs.add({ name: "Stale", count: 7, countFresh: false });
    fake.on("segments_count", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    await store().loadList();
    expect(store().list.items[0]).toMatchObject({ count: 7, countFresh: false });
    expect(store().list.countErrors[s.id]).toBe("Something went wrong; details are in the log");
  });

  it("reports a list that cannot be loaded", async () => {
    const { fake } = setup();
    fake.on("segments_list", () => {
      throw commandError("internal", "The workspace is busy");
    });
    await store().loadList();
    expect(store().list).toMatchObject({ status: "error", error: "The workspace is busy" });
  });

  it("puts a duplicate after its original, and takes a deleted segment out", async () => {
    const { segs } = setup();
    segs.add({ name: "A" });
    segs.add({ name: "B" });
    await store().loadList();
    const [a] = store().list.items;
    const copy = await store().duplicate(a!.id);
    expect(copy.name).toBe("A (copy)");
    expect(store().list.items.map((s) => s.name)).toEqual(["A", "A (copy)", "B"]);
    await store().remove(a!.id);
    expect(store().list.items.map((s) => s.name)).toEqual(["A (copy)", "B"]);
  });

  it("counts a duplicate whose count is not fresh", async () => {
    const { fake, segs } = setup(3);
    const s = segs.add({ name: "A" });
    await store().loadList();
    fake.on("segments_duplicate", () => ({ ...s, id: "s-copy", name: "A (copy)", count: null, countFresh: false }));
    fake.on("segments_count", () => ({ count: 3, elapsedMs: 1 }));
    await store().duplicate(s.id);
    await waitFor(() => expect(store().list.items[1]).toMatchObject({ id: "s-copy", count: 3, countFresh: true }));
    expect(fake.callsOf("segments_count").map((c) => c.args)).toEqual([{ id: "s-copy" }]);
  });

  it("passes on the backend's refusal to delete a segment another one uses", async () => {
    const { segs } = setup();
    const base = segs.add({ name: "Base" });
    segs.add({ name: "Uses base", filter: { all: [{ field: "segment", op: "in", value: base.id }] } });
    await store().loadList();
    await expect(store().remove(base.id)).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("Uses base") });
    expect(store().list.items).toHaveLength(2);
  });
});

describe("segments store: the builder", () => {
  it("starts a new segment with one empty rule, and previews every contact meanwhile", async () => {
    const { fake } = setup(3);
    store().startNew();
    expect(root().children).toHaveLength(1);
    expect(root().children[0]).toMatchObject({ kind: "rule", field: "tag", op: "has_any", value: [] });
    await waitFor(() => expect(editor().preview.status).toBe("ready"));
    expect(editor().preview).toMatchObject({ count: 3, skipped: 1, elapsedMs: 4 });
    expect(previews(fake)[0]).toMatchObject({ filter: { all: [] }, sort: "name", direction: "asc", after: null, limit: PREVIEW_PAGE_SIZE });
    expect(fake.callsOf("segments_check")).toHaveLength(1);
  });

  it("opens a saved segment, and says when it cannot", async () => {
    const { fake, segs } = setup();
    const s = segs.add({ name: "Example", description: "The brief's", filter: EXAMPLE_FILTER });
    segs.add({ name: "User", filter: { all: [{ field: "segment", op: "in", value: s.id }] } });
    await store().open(s.id);
    expect(editor()).toMatchObject({ id: s.id, status: "ready", name: "Example", description: "The brief's", usedBy: ["User"], dirty: false });
    expect(root().children).toHaveLength(5);
    // The check knows which segment is edited, to catch one that would include itself.
    await waitFor(() => expect(fake.callsOf("segments_check").at(-1)!.args).toMatchObject({ editing: s.id }));
    fake.on("segments_get", () => {
      throw commandError("not_found", "This segment no longer exists");
    });
    await store().open("s-gone");
    expect(editor()).toMatchObject({ status: "error", error: "This segment no longer exists" });
  });

  it("edits the tree: nested groups, rules, match kinds, order and removal", () => {
    setup();
    store().startNew();
    const rootId = root().id;
    store().addGroup(rootId);
    const sub = root().children[1] as DraftGroup;
    expect(sub).toMatchObject({ kind: "group", match: "any" });
    expect(sub.children).toHaveLength(1);
    store().addGroup(sub.id);
    expect((root().children[1] as DraftGroup).children[1]).toMatchObject({ kind: "group", match: "all" });
    store().addRule(sub.id);
    expect((root().children[1] as DraftGroup).children).toHaveLength(3);
    store().setMatch(sub.id, "none");
    expect(root().children[1]).toMatchObject({ match: "none" });
    store().moveNode(sub.id, -1);
    expect(root().children[0]!.id).toBe(sub.id);
    store().removeNode(sub.id);
    expect(root().children).toHaveLength(1);
    expect(editor().dirty).toBe(true);
  });

  it("previews once the changes pause, and checks the same filter", async () => {
    vi.useFakeTimers();
    const { fake } = setup(4);
    store().startNew();
    await vi.advanceTimersByTimeAsync(10);
    const rule = root().children[0] as DraftRule;
    store().changeRule(rule.id, { value: ["v"] });
    store().changeRule(rule.id, { value: ["vi"] });
    store().changeRule(rule.id, { value: ["vip"] });
    expect(editor().preview.status).toBe("loading");
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS - 50);
    store().changeRule(rule.id, { value: ["vip"] });
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS - 50);
    expect(fake.callsOf("segments_preview")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(60);
    expect(fake.callsOf("segments_preview")).toHaveLength(2);
    const filter = { all: [{ field: "tag", op: "has_any", value: ["vip"] }] };
    expect(previews(fake)[1]!.filter).toEqual(filter);
    expect(fake.callsOf("segments_check").at(-1)!.args).toEqual({ filter, editing: null });
    vi.useRealTimers();
    await waitFor(() => expect(editor().preview).toMatchObject({ status: "ready", count: 2, skipped: 0 }));
  });

  it("sends increasing tickets and keeps only the answer to the latest", async () => {
    const { fake, segs } = setup(4);
    const held = heldPreviews(fake, segs);
    store().startNew();
    store().setPreviewSort("revenue");
    await waitFor(() => expect(held).toHaveLength(2));
    expect(held[1]!.query.ticket).toBeGreaterThan(held[0]!.query.ticket);
    expect(held[1]!.query).toMatchObject({ sort: "revenue", direction: "desc" });
    held[1]!.release({ count: 4 });
    await waitFor(() => expect(editor().preview.count).toBe(4));
    held[0]!.release({ count: 999 });
    await new Promise((r) => setTimeout(r, 20));
    expect(editor().preview).toMatchObject({ status: "ready", count: 4 });
  });

  it("ignores a superseded request silently", async () => {
    const { fake } = setup(2);
    fake.on("segments_preview", () => {
      throw commandError("conflict", "A newer preview replaced this one", "ticket");
    });
    store().startNew();
    await waitFor(() => expect(fake.callsOf("segments_preview")).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(editor().preview).toMatchObject({ status: "loading", error: null, count: null });
  });

  it("ignores an answer whose ticket is older than the latest", async () => {
    const { fake } = setup(2);
    fake.on("segments_preview", (args) => {
      const q = args.query as SegmentPreviewQuery;
      return { count: 5, items: [], nextCursor: null, elapsedMs: 1, ticket: q.ticket - 1 };
    });
    store().startNew();
    await waitFor(() => expect(fake.callsOf("segments_preview")).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(editor().preview).toMatchObject({ status: "loading", count: null });
  });

  it("shows a refused preview as an error, on the rule it names", async () => {
    const { fake } = setup();
    store().startNew();
    const rule = root().children[0] as DraftRule;
    fake.on("segments_preview", () => {
      throw commandError("validation", "tag has_any needs at least one tag", "filter.all[0]");
    });
    store().changeRule(rule.id, { value: ["x"] });
    await waitFor(() => expect(editor().preview.status).toBe("error"));
    expect(editor().preview.error).toBe("tag has_any needs at least one tag");
    expect(editor().issues[rule.id]).toEqual(["tag has_any needs at least one tag"]);
  });

  it("places each issue segments_check finds on the node at its path", async () => {
    const { fake } = setup();
    fake.on("segments_check", () => [
      { path: "all[1].any[0]", message: "Nope, inner" },
      { path: "", message: "Nope, root" },
    ]);
    store().startNew();
    store().changeRule(root().children[0]!.id, { value: ["vip"] });
    store().addGroup(root().id);
    const sub = root().children[1] as DraftGroup;
    store().changeRule(sub.children[0]!.id, { field: "email", op: "is_empty", value: undefined });
    await waitFor(() => expect(Object.keys(editor().issues)).toHaveLength(2));
    expect(editor().issues[sub.children[0]!.id]).toEqual(["Nope, inner"]);
    expect(editor().issues[root().id]).toEqual(["Nope, root"]);
  });

  it("pages the preview with the cursor it was given", async () => {
    const { fake } = setup(PREVIEW_PAGE_SIZE + 5);
    store().startNew();
    await waitFor(() => expect(editor().preview.status).toBe("ready"));
    expect(editor().preview.items).toHaveLength(PREVIEW_PAGE_SIZE);
    await store().loadMorePreview();
    expect(previews(fake)[1]).toMatchObject({ after: String(PREVIEW_PAGE_SIZE) });
    expect(previews(fake)[1]!.ticket).toBeGreaterThan(previews(fake)[0]!.ticket);
    expect(editor().preview.items).toHaveLength(PREVIEW_PAGE_SIZE + 5);
    expect(editor().preview.nextCursor).toBeNull();
    await store().loadMorePreview();
    expect(fake.callsOf("segments_preview")).toHaveLength(2);
  });

  it("will not save without a name or with incomplete rules, and says where", async () => {
    const { fake } = setup();
    store().startNew();
    const rule = root().children[0] as DraftRule;
    expect(await store().save()).toBeNull();
    expect(editor().nameError).toBe(NAME_REQUIRED);
    expect(editor().nodeErrors[rule.id]).toBe("Enter a value, or remove this rule");
    expect(fake.callsOf("segments_create")).toHaveLength(0);
    store().setName("VIPs");
    expect(editor().nameError).toBeNull();
    store().changeRule(rule.id, { value: ["vip"] });
    expect(editor().nodeErrors[rule.id]).toBeUndefined();
  });

  it("marks an empty name when the field is left", () => {
    setup();
    store().startNew();
    store().checkName();
    expect(editor().nameError).toBe(NAME_REQUIRED);
    store().setName("  ");
    expect(editor().nameError).toBe(NAME_REQUIRED);
    store().setName("x");
    store().checkName();
    expect(editor().nameError).toBeNull();
  });

  it("creates, then updates, a segment with the trimmed name and description", async () => {
    const { fake, segs } = setup();
    store().startNew();
    store().setName("  VIPs ");
    store().setDescription(" Best ");
    store().changeRule(root().children[0]!.id, { value: [" vip "] });
    const created = await store().save();
    expect(created).toMatchObject({ name: "VIPs", description: "Best" });
    expect(fake.callsOf("segments_create")[0]!.args).toEqual({
      input: { name: "VIPs", description: "Best", filter: { all: [{ field: "tag", op: "has_any", value: ["vip"] }] } },
    });
    expect(editor()).toMatchObject({ id: created!.id, dirty: false, saving: false });
    expect(store().list.stale).toBe(true);
    store().setDescription("");
    await store().save();
    expect(fake.callsOf("segments_update")[0]!.args).toMatchObject({ id: created!.id, input: { description: "" } });
    expect(segs.segments[0]!.description).toBeNull();
  });

  it("puts the backend's save errors on the name, the rule, or the form", async () => {
    const { fake, segs } = setup();
    segs.add({ name: "Taken" });
    store().startNew();
    store().setName("taken");
    const rule = root().children[0] as DraftRule;
    store().changeRule(rule.id, { value: ["vip"] });
    await store().save();
    expect(editor().nameError).toBe("There is already a segment named “taken”");

    store().setName("Fresh");
    fake.on("segments_create", () => {
      throw commandError("validation", "no such tag", "filter.all[0]");
    });
    await store().save();
    expect(editor().nodeErrors[rule.id]).toBe("no such tag");

    fake.on("segments_create", () => {
      throw commandError("validation", "too long", "description");
    });
    await store().save();
    expect(editor().descriptionError).toBe("too long");

    fake.on("segments_create", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    await store().save();
    expect(editor()).toMatchObject({ formError: "Something went wrong; details are in the log", saving: false });
  });

  it("drops answers that arrive after the builder was left", async () => {
    const { fake, segs } = setup();
    const held = heldPreviews(fake, segs);
    store().startNew();
    await waitFor(() => expect(held).toHaveLength(1));
    store().closeEditor();
    held[0]!.release({ count: 42 });
    await new Promise((r) => setTimeout(r, 20));
    expect(editor().preview.count).toBeNull();
    expect(editor().status).toBe("idle");
  });
});
