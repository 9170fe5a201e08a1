import { create } from "zustand";
import { errorMessage } from "../api/errors";
import { workspaceInfo, workspaceLoadDemo, workspaceUpdateSettings } from "../api/workspace";
import type { DemoSummary } from "../bindings/DemoSummary";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import type { WorkspaceSettingsInput } from "../bindings/WorkspaceSettingsInput";
import { startupStep } from "../lib/startup";

/** How many made-up contacts "Try with demo data" creates. */
export const DEMO_CONTACTS = 500;

type WorkspaceState = {
  info: WorkspaceInfo | null;
  status: "idle" | "loading" | "ready" | "error";
  error: string | null;
  /** "Start empty" was chosen for this workspace: stop offering onboarding. */
  onboardingDismissed: boolean;
  demo: { status: "idle" | "loading" | "error"; error: string | null };

  load: () => Promise<void>;
  /** Re-reads the info (counts change after imports and edits) without a loading state. */
  refresh: () => Promise<void>;
  loadDemo: () => Promise<DemoSummary | null>;
  /**
   * Saves the settings form and shows the saved values. Rejects with the
   * backend's error (a `validation` one names the field) so the form can put
   * it under the right input; the info is left as it was then.
   */
  saveSettings: (input: WorkspaceSettingsInput) => Promise<WorkspaceInfo>;
  dismissOnboarding: () => void;
};

// Remembered per workspace file, so opening another workspace offers it again.
const dismissKey = (path: string) => `herald.onboarding.dismissed:${path}`;

function readDismissed(path: string): boolean {
  try {
    return localStorage.getItem(dismissKey(path)) === "1";
  } catch {
    return false;
  }
}

export const useWorkspaceStore = create<WorkspaceState>()((set, get) => ({
  info: null,
  status: "idle",
  error: null,
  onboardingDismissed: false,
  demo: { status: "idle", error: null },

  load: async () => {
    set({ status: "loading", error: null });
    startupStep("workspace_asked");
    try {
      const info = await workspaceInfo();
      startupStep("workspace_answered");
      set({ info, status: "ready", onboardingDismissed: readDismissed(info.path) });
    } catch (e) {
      set({ status: "error", error: errorMessage(e) });
    }
  },

  refresh: async () => {
    try {
      const info = await workspaceInfo();
      set({ info, status: "ready", error: null });
    } catch {
      // Keep showing what we had; the next screen that needs it reports errors.
    }
  },

  loadDemo: async () => {
    set({ demo: { status: "loading", error: null } });
    try {
      const summary = await workspaceLoadDemo(DEMO_CONTACTS);
      set({ demo: { status: "idle", error: null } });
      await get().refresh();
      return summary;
    } catch (e) {
      set({ demo: { status: "error", error: errorMessage(e) } });
      return null;
    }
  },

  saveSettings: async (input) => {
    const info = await workspaceUpdateSettings(input);
    set({ info, status: "ready", error: null });
    return info;
  },

  dismissOnboarding: () => {
    const path = get().info?.path;
    if (path) {
      try {
        localStorage.setItem(dismissKey(path), "1");
      } catch {
        // Private storage unavailable: the choice lasts for this session.
      }
    }
    set({ onboardingDismissed: true });
  },
}));

/** Whether to greet with onboarding: an empty workspace whose user has not chosen "Start empty". */
export function needsOnboarding(s: Pick<WorkspaceState, "info" | "onboardingDismissed">): boolean {
  return s.info !== null && s.info.contacts === 0 && !s.onboardingDismissed;
}

export function resetWorkspaceStore(): void {
  useWorkspaceStore.setState({
    info: null,
    status: "idle",
    error: null,
    onboardingDismissed: false,
    demo: { status: "idle", error: null },
  });
}
