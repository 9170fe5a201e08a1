import { create } from "zustand";
import { errorMessage, isCommandError } from "../api/errors";
import {
  segmentsCheck,
  segmentsCount,
  segmentsCreate,
  segmentsDelete,
  segmentsDuplicate,
  segmentsGet,
  segmentsList,
  segmentsPreview,
  segmentsUpdate,
} from "../api/segments";
import type { ContactRow } from "../bindings/ContactRow";
import type { SegmentDetail } from "../bindings/SegmentDetail";
import type { SegmentSummary } from "../bindings/SegmentSummary";
import type { SortDirection } from "../bindings/SortDirection";
import { DEFAULT_FIELD, OPERATORS, emptyValue, valueKind } from "../features/segments/fields";
import {
  appendChild,
  compileForPreview,
  compileForSave,
  findNode,
  fromFilter,
  moveNode,
  newGroup,
  newRule,
  nodeForPath,
  removeNode,
  setMatch,
  updateRule,
  type Compiled,
  type DraftGroup,
  type DraftRule,
  type GroupMatch,
} from "../features/segments/filter";

/** How long the builder waits after a change before it previews and checks the filter. */
export const PREVIEW_DEBOUNCE_MS = 300;
/** Matching contacts per preview page. */
export const PREVIEW_PAGE_SIZE = 50;
/** Stale list counts refreshed at once. */
const COUNT_CONCURRENCY = 2;

export type PreviewSort = "name" | "createdAt" | "lastInteractionAt" | "revenue";
export type LoadStatus = "idle" | "loading" | "ready" | "error";

export type ListState = {
  items: SegmentSummary[];
  status: LoadStatus;
  error: string | null;
  /** A segment was saved, copied or deleted elsewhere: reload when next shown. */
  stale: boolean;
  /** Segment id → why its count could not be refreshed. */
  countErrors: Record<string, string>;
};

export type PreviewState = {
  /** "loading" from the first change until the answer for the latest filter arrives. */
  status: LoadStatus;
  count: number | null;
  elapsedMs: number | null;
  items: ContactRow[];
  nextCursor: string | null;
  loadingMore: boolean;
  error: string | null;
  /** Rules left out of the preview because they have no value yet. */
  skipped: number;
  sort: PreviewSort;
  direction: SortDirection;
};

export type EditorState = {
  /** The segment being edited; null for a new one. */
  id: string | null;
  status: LoadStatus;
  /** Why the segment could not be opened. */
  error: string | null;
  name: string;
  description: string;
  root: DraftGroup;
  /** Names of the segments whose filters use this one. */
  usedBy: string[];
  dirty: boolean;
  saving: boolean;
  nameError: string | null;
  descriptionError: string | null;
  /** A save failure that belongs to no input. */
  formError: string | null;
  /** Node id → why saving refused it. */
  nodeErrors: Record<string, string>;
  /** Node id → what `segments_check` (or a refused preview) says is wrong with it. */
  issues: Record<string, string[]>;
  preview: PreviewState;
};

type SegmentsState = {
  list: ListState;
  editor: EditorState;

  /** Fetches the segments, then refreshes the counts that are out of date. */
  loadList: () => Promise<void>;
  /** Counts one segment afresh. */
  refreshCount: (id: string) => Promise<void>;
  /** Copies a segment; resolves with the copy, rejects with the backend's error. */
  duplicate: (id: string) => Promise<SegmentDetail>;
  /** Deletes a segment; rejects with the backend's error (`conflict` when another segment uses it). */
  remove: (id: string) => Promise<void>;
  invalidateList: () => void;

  /** Starts a new segment with one empty rule. */
  startNew: () => void;
  /** Loads a saved segment into the builder. */
  open: (id: string) => Promise<void>;
  /** Leaves the builder: timers stop and answers still on their way are dropped. */
  closeEditor: () => void;
  setName: (name: string) => void;
  /** Marks an empty name (on blur). */
  checkName: () => void;
  setDescription: (description: string) => void;
  setMatch: (groupId: string, match: GroupMatch) => void;
  addRule: (groupId: string) => void;
  /** Adds a subgroup with one empty rule; nothing happens at the depth limit. */
  addGroup: (groupId: string) => void;
  removeNode: (id: string) => void;
  moveNode: (id: string, delta: -1 | 1) => void;
  changeRule: (id: string, patch: Partial<Pick<DraftRule, "field" | "op" | "value">>) => void;
  setPreviewSort: (sort: PreviewSort) => void;
  setPreviewDirection: (direction: SortDirection) => void;
  loadMorePreview: () => Promise<void>;
  /** Validates and saves; resolves with the saved segment, or null with the errors in the state. */
  save: () => Promise<SegmentDetail | null>;
};

export function defaultRule(): DraftRule {
  const op = OPERATORS.tag[0]!;
  return newRule(DEFAULT_FIELD, op, emptyValue(valueKind("tag", op)));
}

const INITIAL_LIST: ListState = { items: [], status: "idle", error: null, stale: false, countErrors: {} };

const INITIAL_PREVIEW: PreviewState = {
  status: "idle",
  count: null,
  elapsedMs: null,
  items: [],
  nextCursor: null,
  loadingMore: false,
  error: null,
  skipped: 0,
  sort: "name",
  direction: "asc",
};

function initialEditor(): EditorState {
  return {
    id: null,
    status: "idle",
    error: null,
    name: "",
    description: "",
    root: newGroup("all"),
    usedBy: [],
    dirty: false,
    saving: false,
    nameError: null,
    descriptionError: null,
    formError: null,
    nodeErrors: {},
    issues: {},
    preview: INITIAL_PREVIEW,
  };
}

export const NAME_REQUIRED = "Give the segment a name";

// Every preview request carries a larger ticket; only the answer to the latest counts.
// The backend remembers the largest ticket it has seen for as long as the app
// runs, so the count starts at the clock: a reloaded page still counts upwards.
let ticket = Date.now();
let latestTicket = ticket;
// Bumped by every check, list load and editor session: older answers are dropped.
let checkGeneration = 0;
let listGeneration = 0;
let session = 0;
let previewTimer: ReturnType<typeof setTimeout> | null = null;
/** The filter the shown preview is for, and how its paths map to builder nodes. */
let previewed: Compiled | null = null;

function clearTimer() {
  if (previewTimer) clearTimeout(previewTimer);
  previewTimer = null;
}

const isSuperseded = (e: unknown) => isCommandError(e) && e.kind === "conflict" && e.field === "ticket";

/** The path a validation error names inside the filter (`filter`, `filter.all[1]`), or null. */
function filterField(e: unknown): string | null {
  if (!isCommandError(e) || (e.kind !== "validation" && e.kind !== "conflict") || !e.field) return null;
  return e.field === "filter" || e.field.startsWith("filter.") ? e.field : null;
}

export const useSegmentsStore = create<SegmentsState>()((set, get) => {
  const setList = (patch: Partial<ListState> | ((l: ListState) => Partial<ListState>)) =>
    set((s) => ({ list: { ...s.list, ...(typeof patch === "function" ? patch(s.list) : patch) } }));
  const setEditor = (patch: Partial<EditorState> | ((e: EditorState) => Partial<EditorState>)) =>
    set((s) => ({ editor: { ...s.editor, ...(typeof patch === "function" ? patch(s.editor) : patch) } }));
  const setPreview = (patch: Partial<PreviewState>) => setEditor((e) => ({ preview: { ...e.preview, ...patch } }));

  async function refreshStaleCounts(mine: number) {
    const queue = get().list.items.filter((s) => !s.countFresh).map((s) => s.id);
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (mine !== listGeneration) return;
        await get().refreshCount(id);
      }
    };
    await Promise.all(Array.from({ length: COUNT_CONCURRENCY }, worker));
  }

  function runCheck(compiled: Compiled, rootId: string, editing: string | null) {
    const mine = ++checkGeneration;
    segmentsCheck(compiled.filter, editing).then(
      (found) => {
        if (mine !== checkGeneration) return;
        const issues: Record<string, string[]> = {};
        for (const issue of found) {
          const id = nodeForPath(issue.path, compiled.nodeAt, rootId);
          (issues[id] ??= []).push(issue.message);
        }
        setEditor({ issues });
      },
      // The check only explains; the preview reports a failing backend.
      () => {
        if (mine === checkGeneration) setEditor({ issues: {} });
      },
    );
  }

  async function fetchPreview(more: boolean): Promise<void> {
    const { editor } = get();
    const compiled = more && previewed ? previewed : compileForPreview(editor.root);
    previewed = compiled;
    const mine = ++ticket;
    latestTicket = mine;
    const p = editor.preview;
    setPreview(more ? { loadingMore: true, error: null } : { status: "loading", loadingMore: false, error: null, skipped: compiled.skipped.length });
    if (!more) runCheck(compiled, editor.root.id, editor.id);
    try {
      const res = await segmentsPreview({
        filter: compiled.filter,
        sort: p.sort,
        direction: p.direction,
        after: more ? p.nextCursor : null,
        limit: PREVIEW_PAGE_SIZE,
        ticket: mine,
      });
      if (mine !== latestTicket || res.ticket < latestTicket) return;
      setEditor((e) => ({
        preview: {
          ...e.preview,
          status: "ready",
          count: res.count,
          elapsedMs: res.elapsedMs,
          items: more ? [...e.preview.items, ...res.items] : res.items,
          nextCursor: res.nextCursor,
          loadingMore: false,
        },
      }));
    } catch (e) {
      if (mine !== latestTicket || isSuperseded(e)) return;
      const field = filterField(e);
      setEditor((ed) => ({
        preview: { ...ed.preview, status: "error", loadingMore: false, error: errorMessage(e) },
        issues: field ? { ...ed.issues, [nodeForPath(field, compiled.nodeAt, ed.root.id)]: [errorMessage(e)] } : ed.issues,
      }));
    }
  }

  /** Previews (and checks) the filter once changes pause. */
  function schedule() {
    clearTimer();
    setPreview({ status: "loading" });
    previewTimer = setTimeout(() => {
      previewTimer = null;
      void fetchPreview(false);
    }, PREVIEW_DEBOUNCE_MS);
  }

  /** Applies a change to the tree, forgets the save errors of the nodes it touched, and previews it. */
  function editTree(change: (root: DraftGroup) => DraftGroup, touched: string[] = []) {
    const { root, nodeErrors } = get().editor;
    const next = change(root);
    if (next === root) return;
    const errors = { ...nodeErrors };
    for (const id of touched) delete errors[id];
    setEditor({ root: next, dirty: true, nodeErrors: errors, formError: null });
    schedule();
  }

  return {
    list: INITIAL_LIST,
    editor: initialEditor(),

    loadList: async () => {
      const mine = ++listGeneration;
      setList((l) => ({ status: l.items.length > 0 && l.status === "ready" ? "ready" : "loading", error: null, stale: false }));
      try {
        const items = await segmentsList();
        if (mine !== listGeneration) return;
        setList({ items, status: "ready", countErrors: {} });
      } catch (e) {
        if (mine !== listGeneration) return;
        setList({ status: "error", error: errorMessage(e) });
        return;
      }
      await refreshStaleCounts(mine);
    },

    refreshCount: async (id) => {
      const mine = listGeneration;
      try {
        const { count } = await segmentsCount(id);
        if (mine !== listGeneration) return;
        setList((l) => ({ items: l.items.map((s) => (s.id === id ? { ...s, count, countFresh: true } : s)) }));
      } catch (e) {
        if (mine !== listGeneration) return;
        setList((l) => ({ countErrors: { ...l.countErrors, [id]: errorMessage(e) } }));
      }
    },

    duplicate: async (id) => {
      const copy = await segmentsDuplicate(id);
      const summary: SegmentSummary = {
        id: copy.id,
        name: copy.name,
        description: copy.description,
        count: copy.count,
        countFresh: copy.countFresh,
        updatedAt: copy.updatedAt,
      };
      setList((l) => {
        const at = l.items.findIndex((s) => s.id === id);
        const items = [...l.items];
        items.splice(at < 0 ? items.length : at + 1, 0, summary);
        return { items };
      });
      if (!copy.countFresh) void get().refreshCount(copy.id);
      return copy;
    },

    remove: async (id) => {
      await segmentsDelete(id);
      setList((l) => ({ items: l.items.filter((s) => s.id !== id) }));
    },

    invalidateList: () => setList({ stale: true }),

    startNew: () => {
      get().closeEditor();
      set({ editor: { ...initialEditor(), status: "ready", root: newGroup("all", [defaultRule()]) } });
      void fetchPreview(false);
    },

    open: async (id) => {
      get().closeEditor();
      const mine = session;
      setEditor({ id, status: "loading" });
      try {
        const detail = await segmentsGet(id);
        if (mine !== session) return;
        setEditor({
          status: "ready",
          name: detail.name,
          description: detail.description ?? "",
          root: fromFilter(detail.filter),
          usedBy: detail.usedBy,
        });
      } catch (e) {
        if (mine !== session) return;
        setEditor({ status: "error", error: errorMessage(e) });
        return;
      }
      void fetchPreview(false);
    },

    closeEditor: () => {
      session++;
      clearTimer();
      latestTicket = ++ticket;
      checkGeneration++;
      previewed = null;
      set({ editor: initialEditor() });
    },

    setName: (name) => setEditor((e) => ({ name, dirty: true, nameError: e.nameError && name.trim() === "" ? e.nameError : null })),
    checkName: () => setEditor((e) => ({ nameError: e.name.trim() === "" ? NAME_REQUIRED : null })),
    setDescription: (description) => setEditor({ description, dirty: true, descriptionError: null }),

    setMatch: (groupId, match) => editTree((r) => setMatch(r, groupId, match), [groupId]),
    addRule: (groupId) => editTree((r) => appendChild(r, groupId, defaultRule()), [groupId]),
    addGroup: (groupId) => {
      // "Any of" inside "all of" is the usual reason for a subgroup, and "all of" inside the others.
      const parent = findNode(get().editor.root, groupId);
      const match = parent?.kind === "group" && parent.match === "all" ? "any" : "all";
      editTree((r) => appendChild(r, groupId, newGroup(match, [defaultRule()])), [groupId]);
    },
    removeNode: (id) => editTree((r) => removeNode(r, id), [id]),
    moveNode: (id, delta) => editTree((r) => moveNode(r, id, delta)),
    changeRule: (id, patch) => editTree((r) => updateRule(r, id, patch), [id]),

    setPreviewSort: (sort) => {
      setPreview({ sort, direction: sort === "name" ? "asc" : "desc" });
      clearTimer();
      void fetchPreview(false);
    },
    setPreviewDirection: (direction) => {
      setPreview({ direction });
      clearTimer();
      void fetchPreview(false);
    },
    loadMorePreview: async () => {
      const p = get().editor.preview;
      if (!p.nextCursor || p.loadingMore || p.status !== "ready") return;
      await fetchPreview(true);
    },

    save: async () => {
      const mine = session;
      const e = get().editor;
      if (e.saving) return null;
      const name = e.name.trim();
      const strict = compileForSave(e.root);
      setEditor({
        nameError: name ? null : NAME_REQUIRED,
        descriptionError: null,
        formError: null,
        nodeErrors: strict.ok ? {} : strict.errors,
      });
      if (!name || !strict.ok) return null;
      setEditor({ saving: true });
      try {
        const input = { name, description: e.description.trim(), filter: strict.filter };
        const saved = e.id ? await segmentsUpdate(e.id, input) : await segmentsCreate(input);
        get().invalidateList();
        if (mine === session) setEditor({ id: saved.id, saving: false, dirty: false, usedBy: saved.usedBy });
        return saved;
      } catch (err) {
        if (mine !== session) return null;
        const message = errorMessage(err);
        const field = isCommandError(err) && (err.kind === "validation" || err.kind === "conflict") ? err.field : null;
        const inFilter = filterField(err);
        if (field === "name") setEditor({ saving: false, nameError: message });
        else if (field === "description") setEditor({ saving: false, descriptionError: message });
        else if (inFilter) setEditor((ed) => ({ saving: false, nodeErrors: { [nodeForPath(inFilter, strict.nodeAt, ed.root.id)]: message } }));
        else setEditor({ saving: false, formError: message });
        return null;
      }
    },
  };
});

/** Back to the first-launch state (tests, and a workspace that changed under us). */
export function resetSegmentsStore(): void {
  listGeneration++;
  useSegmentsStore.getState().closeEditor();
  useSegmentsStore.setState({ list: INITIAL_LIST });
}
