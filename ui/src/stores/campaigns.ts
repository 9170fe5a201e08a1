import { create } from "zustand";
import { campaignsDelete, campaignsDuplicate, campaignsList, type CampaignDetail, type CampaignStatus, type CampaignSummary } from "../api/campaigns";
import { errorMessage } from "../api/errors";

type CampaignsState = {
  items: CampaignSummary[];
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
  /** The search the shown items answer (already debounced by the page). */
  search: string;
  statuses: CampaignStatus[];
  /** Whether any campaign exists at all, so "no campaigns" and "no match" read differently. */
  any: boolean;
  load: () => Promise<void>;
  setQuery: (search: string, statuses: CampaignStatus[]) => Promise<void>;
  duplicate: (id: string) => Promise<CampaignDetail>;
  remove: (id: string) => Promise<void>;
};

const INITIAL = { items: [], status: "idle", error: null, search: "", statuses: [], any: false } satisfies Partial<CampaignsState>;

let ticket = 0;

export const useCampaignsStore = create<CampaignsState>()((set, get) => ({
  ...INITIAL,

  load: async () => {
    const mine = ++ticket;
    const { search, statuses } = get();
    set({ status: "loading" });
    try {
      const items = await campaignsList({
        ...(search.trim() ? { search: search.trim() } : {}),
        ...(statuses.length ? { status: statuses } : {}),
      });
      // A slower answer to an older query must not replace a newer one.
      if (mine !== ticket) return;
      const filtered = search.trim() !== "" || statuses.length > 0;
      set({ items, status: "ready", error: null, any: filtered ? get().any || items.length > 0 : items.length > 0 });
    } catch (e) {
      if (mine === ticket) set({ status: "error", error: errorMessage(e) });
    }
  },

  setQuery: async (search, statuses) => {
    set({ search, statuses });
    await get().load();
  },

  duplicate: async (id) => {
    const copy = await campaignsDuplicate(id);
    await get().load();
    return copy;
  },

  remove: async (id) => {
    await campaignsDelete(id);
    set((s) => ({ items: s.items.filter((c) => c.id !== id) }));
    await get().load();
  },
}));

export function resetCampaignsStore(): void {
  ticket += 1;
  useCampaignsStore.setState({ ...INITIAL });
}
