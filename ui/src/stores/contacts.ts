import { create } from "zustand";
import { contactsList } from "../api/contacts";
import { errorMessage } from "../api/errors";
import type { ContactRow } from "../bindings/ContactRow";
import type { ContactSortField } from "../bindings/ContactSortField";
import type { EmailStatus } from "../bindings/EmailStatus";
import type { SmsStatus } from "../bindings/SmsStatus";
import type { SortDirection } from "../bindings/SortDirection";
import { startupStep } from "../lib/startup";

/** Rows per keyset page: a few screens' worth, small enough to arrive at once. */
export const PAGE_SIZE = 100;
/** How long typing in the search box waits before it queries. */
export const SEARCH_DEBOUNCE_MS = 250;

export type ContactFilters = {
  search: string;
  tag: string | null;
  emailStatus: EmailStatus | null;
  smsStatus: SmsStatus | null;
};

export type ContactsStatus = "idle" | "loading" | "loadingMore" | "ready" | "error";

type ContactsState = {
  /** What the search box shows; `filters.search` follows it after a pause. */
  searchInput: string;
  filters: ContactFilters;
  sort: ContactSortField;
  direction: SortDirection;
  /** Every row loaded so far for the current query, in order. */
  items: ContactRow[];
  total: number;
  nextCursor: string | null;
  status: ContactsStatus;
  error: string | null;
  /** Whether the first page of the current query has arrived. */
  loaded: boolean;
  /** The workspace changed (import, demo data, a new contact): reload when next shown. */
  stale: boolean;

  setSearch: (text: string) => void;
  setTag: (tag: string | null) => void;
  setEmailStatus: (status: EmailStatus | null) => void;
  setSmsStatus: (status: SmsStatus | null) => void;
  /** Sorts by `field`; choosing the current field again flips the direction. */
  toggleSort: (field: ContactSortField) => void;
  clearFilters: () => void;
  /** Drops the loaded rows and fetches the first page again. */
  reload: () => Promise<void>;
  /** Fetches the next keyset page, unless one is loading or there is none. */
  loadMore: () => Promise<void>;
  /** Marks the loaded rows out of date after a change elsewhere. */
  invalidate: () => void;
};

const EMPTY_FILTERS: ContactFilters = { search: "", tag: null, emailStatus: null, smsStatus: null };

type ContactsData = Omit<ContactsState, {
  [K in keyof ContactsState]: ContactsState[K] extends (...args: never[]) => unknown ? K : never;
}[keyof ContactsState]>;

/** What the store holds on first launch, and again after a reset. */
const INITIAL: ContactsData = {
  searchInput: "",
  filters: EMPTY_FILTERS,
  sort: "createdAt",
  direction: "desc",
  items: [],
  total: 0,
  nextCursor: null,
  status: "idle",
  error: null,
  loaded: false,
  stale: false,
};

export function hasFilters(f: ContactFilters): boolean {
  return f.search.trim() !== "" || f.tag !== null || f.emailStatus !== null || f.smsStatus !== null;
}

/** Sorting by a date or revenue starts with the largest; text starts at A. */
function defaultDirection(field: ContactSortField): SortDirection {
  return field === "createdAt" || field === "lastInteractionAt" || field === "revenue" ? "desc" : "asc";
}

// Bumped by every reset: a page that arrives for an older query is dropped.
let generation = 0;
let searchTimer: ReturnType<typeof setTimeout> | null = null;

export const useContactsStore = create<ContactsState>()((set, get) => {
  async function fetchPage(reset: boolean): Promise<void> {
    const s = get();
    const mine = reset ? ++generation : generation;
    set(
      reset
        ? { status: "loading", error: null, items: [], nextCursor: null, stale: false }
        : { status: "loadingMore", error: null },
    );
    startupStep("contacts_asked");
    try {
      const page = await contactsList({
        search: s.filters.search.trim() || null,
        tag: s.filters.tag,
        emailStatus: s.filters.emailStatus,
        smsStatus: s.filters.smsStatus,
        sort: s.sort,
        direction: s.direction,
        after: reset ? null : s.nextCursor,
        limit: PAGE_SIZE,
      });
      startupStep("contacts_answered");
      if (mine !== generation) return;
      set((cur) => ({
        items: reset ? page.items : [...cur.items, ...page.items],
        total: page.total,
        nextCursor: page.nextCursor,
        status: "ready",
        loaded: true,
      }));
    } catch (e) {
      if (mine !== generation) return;
      set({ status: "error", error: errorMessage(e) });
    }
  }

  function applyFilters(patch: Partial<ContactFilters>): void {
    set((s) => ({ filters: { ...s.filters, ...patch } }));
    void fetchPage(true);
  }

  return {
    ...INITIAL,

    setSearch: (text) => {
      set({ searchInput: text });
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        searchTimer = null;
        if (get().filters.search !== text) applyFilters({ search: text });
      }, SEARCH_DEBOUNCE_MS);
    },
    setTag: (tag) => applyFilters({ tag }),
    setEmailStatus: (emailStatus) => applyFilters({ emailStatus }),
    setSmsStatus: (smsStatus) => applyFilters({ smsStatus }),
    toggleSort: (field) => {
      const { sort, direction } = get();
      const next = sort === field ? (direction === "asc" ? "desc" : "asc") : defaultDirection(field);
      set({ sort: field, direction: next });
      void fetchPage(true);
    },
    clearFilters: () => {
      if (searchTimer) clearTimeout(searchTimer);
      searchTimer = null;
      set({ searchInput: "", filters: EMPTY_FILTERS });
      void fetchPage(true);
    },
    reload: () => fetchPage(true),
    loadMore: async () => {
      const { status, nextCursor } = get();
      if (!nextCursor || status === "loading" || status === "loadingMore") return;
      await fetchPage(false);
    },
    invalidate: () => set({ stale: true }),
  };
});

/** Back to the first-launch state (tests, and a workspace that changed under us). */
export function resetContactsStore(): void {
  generation++;
  if (searchTimer) clearTimeout(searchTimer);
  searchTimer = null;
  useContactsStore.setState(INITIAL);
}
