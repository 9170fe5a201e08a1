import "@testing-library/jest-dom/vitest";
import { notifications } from "@mantine/notifications";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { resetFirstScreen } from "../src/lib/firstScreen";
import { resetContactsStore } from "../src/stores/contacts";
import { resetImportStore } from "../src/stores/import";
import { resetRelayStore } from "../src/stores/relay";
import { resetSegmentsStore } from "../src/stores/segments";
import { resetWorkspaceStore } from "../src/stores/workspace";

// findBy*/waitFor give up after 1 s by default: too short for a whole screen
// rendering on a loaded 2-core CI machine. Waiting longer costs nothing when
// the UI is right and only delays the failure when it is wrong.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks what Mantine and the virtualiser measure the page with.
Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub as unknown as typeof ResizeObserver;
Element.prototype.scrollIntoView = () => {};
Object.defineProperty(document, "fonts", {
  configurable: true,
  value: { addEventListener: () => {}, removeEventListener: () => {}, ready: Promise.resolve() },
});
window.HTMLElement.prototype.scrollTo = () => {};
// The contacts table's scroll box reports a 1280×800 viewport, so the
// virtualiser renders the rows that would be on screen.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 800 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1280 });

beforeEach(() => {
  localStorage.clear();
  resetFirstScreen();
  resetContactsStore();
  resetWorkspaceStore();
  resetImportStore();
  resetSegmentsStore();
  resetRelayStore();
});

afterEach(() => {
  cleanup();
  notifications.clean();
  // Before the mocks go: a screen that said it was shown just before
  // cleanup() must not call into the cleared IPC a frame later.
  resetFirstScreen();
  clearMocks();
  // clearMocks takes the event plugin's unregisterListener away, but a
  // component that cleanup() unmounted while its listen() was in flight
  // drops the listener when that resolves, just after: keep it harmless.
  (window as unknown as { __TAURI_EVENT_PLUGIN_INTERNALS__: Record<string, unknown> }).__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener: () => undefined,
  };
  vi.useRealTimers();
});
