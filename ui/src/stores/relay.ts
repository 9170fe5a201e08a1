import { create } from "zustand";
import { errorMessage, isCommandError } from "../api/errors";
import { relayGenerateKeys, relayRotateKeys, relaySetUrl, relayStatus, relaySyncNow, relayTestConnection } from "../api/relay";
import type { ConnectionTest } from "../bindings/ConnectionTest";
import type { GeneratedKeys } from "../bindings/GeneratedKeys";
import type { RelayStatus } from "../bindings/RelayStatus";
import type { SyncSummary } from "../bindings/SyncSummary";

/** What the last "Test connection" or "Sync now" came to. */
export type RelayOutcome =
  | { action: "test"; ok: true; test: ConnectionTest }
  | { action: "sync"; ok: true; summary: SyncSummary }
  | { action: "test" | "sync"; ok: false; message: string };

type Busy = "url" | "keys" | "test" | "sync";

type RelayState = {
  status: RelayStatus | null;
  /** When the status was read (ms since the epoch). */
  loadedAt: number;
  loadError: string | null;
  busy: Partial<Record<Busy, boolean>>;
  /** Why the URL was not saved, for under the field. */
  urlError: string | null;
  /** Why keys could not be made. */
  keysError: string | null;
  /**
   * Keys just generated or rotated: the one time they are shown. Forgotten
   * as soon as the person confirms they copied them.
   */
  shownKeys: GeneratedKeys | null;
  outcome: RelayOutcome | null;

  /** Reads the status; a failure shows in place of the section only when there is nothing to show yet. */
  load: () => Promise<void>;
  /** Saves the URL; resolves to whether it was saved. */
  saveUrl: (url: string) => Promise<boolean>;
  setUrlError: (message: string | null) => void;
  generateKeys: () => Promise<void>;
  rotateKeys: () => Promise<void>;
  /** "I have copied them": the keys leave memory. */
  dismissKeys: () => void;
  testConnection: () => Promise<void>;
  syncNow: () => Promise<void>;
  clearOutcome: () => void;
};

const INITIAL = {
  status: null,
  loadedAt: 0,
  loadError: null,
  busy: {},
  urlError: null,
  keysError: null,
  shownKeys: null,
  outcome: null,
} satisfies Partial<RelayState>;

export const useRelayStore = create<RelayState>()((set, get) => {
  const setBusy = (what: Busy, on: boolean) => set((s) => ({ busy: { ...s.busy, [what]: on } }));

  async function makeKeys(make: () => Promise<GeneratedKeys>) {
    if (get().busy.keys) return;
    setBusy("keys", true);
    set({ keysError: null });
    try {
      set({ shownKeys: await make() });
    } catch (e) {
      // An unreachable keychain shows as the section's own alert, from the status.
      const unavailable = isCommandError(e) && e.kind === "keychain_unavailable";
      set({ keysError: unavailable ? null : errorMessage(e) });
    } finally {
      setBusy("keys", false);
    }
    await get().load();
  }

  return {
    ...INITIAL,

    load: async () => {
      try {
        set({ status: await relayStatus(), loadedAt: Date.now(), loadError: null });
      } catch (e) {
        set({ loadError: errorMessage(e) });
      }
    },

    saveUrl: async (url) => {
      if (get().busy.url) return false;
      setBusy("url", true);
      set({ urlError: null });
      try {
        const status = await relaySetUrl(url);
        set({ status, loadedAt: Date.now(), outcome: null });
        return true;
      } catch (e) {
        // The form has one input: whatever the reason, it shows under it.
        set({ urlError: errorMessage(e) });
        return false;
      } finally {
        setBusy("url", false);
      }
    },

    setUrlError: (message) => set({ urlError: message }),

    generateKeys: () => makeKeys(relayGenerateKeys),
    rotateKeys: () => makeKeys(relayRotateKeys),
    dismissKeys: () => set({ shownKeys: null }),

    testConnection: async () => {
      if (get().busy.test) return;
      setBusy("test", true);
      try {
        set({ outcome: { action: "test", ok: true, test: await relayTestConnection() } });
      } catch (e) {
        set({ outcome: { action: "test", ok: false, message: errorMessage(e) } });
      } finally {
        setBusy("test", false);
      }
      await get().load();
    },

    syncNow: async () => {
      if (get().busy.sync) return;
      setBusy("sync", true);
      try {
        set({ outcome: { action: "sync", ok: true, summary: await relaySyncNow() } });
      } catch (e) {
        set({ outcome: { action: "sync", ok: false, message: errorMessage(e) } });
      } finally {
        setBusy("sync", false);
      }
      await get().load();
    },

    clearOutcome: () => set({ outcome: null }),
  };
});

export function resetRelayStore(): void {
  useRelayStore.setState({ ...INITIAL });
}
