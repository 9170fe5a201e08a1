// The UI's half of the start-up probe (src-tauri/src/commands/startup.rs).
// A probed launch (HERALD_STARTUP_PROBE set) injects a flag before this script
// runs and opens on the contact list; once the first contact row is on
// screen, the UI reports when the page began, when its script began and when
// that row was painted, and the app writes them out and quits. Without the
// flag none of this runs.
import { invoke } from "@tauri-apps/api/core";
import type { StartupMarks } from "../bindings/StartupMarks";
import type { StartupStep } from "../bindings/StartupStep";

declare global {
  interface Window {
    __HERALD_STARTUP_PROBE__?: boolean;
  }
}

/** Epoch milliseconds on the clock the app's own marks use. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Whether the app was launched with the start-up probe on. */
export function startupProbeActive(): boolean {
  return window.__HERALD_STARTUP_PROBE__ === true;
}

// The steps recorded so far in a probed launch; the first of each name counts.
const steps: StartupStep[] = [];

/**
 * Records that the launch reached `name` (snake_case) now, in a probed
 * launch only: the report lists it as `ui_<name>`. Costs nothing otherwise.
 */
export function startupStep(name: string): void {
  if (!startupProbeActive() || steps.some((s) => s.name === name)) return;
  steps.push({ name, at: epochNow() });
}

/** The steps recorded so far (a copy). */
export function startupSteps(): StartupStep[] {
  return [...steps];
}

/** Sends the UI's marks; the app writes the report and quits. */
export function startupProbeFinish(marks: StartupMarks): Promise<void> {
  return invoke<void>("startup_probe_finish", { marks });
}

const FIRST_ROW = '[data-testid="contact-row"]';

/**
 * Calls `painted` with the times the first contact row was in the document
 * and was painted: one frame after it appeared (a requestAnimationFrame
 * callback runs before its frame is painted, so the frame after it is the
 * one that shows it).
 */
export function whenFirstRowPainted(root: Node, painted: (inDom: number, painted: number) => void): () => void {
  let done = false;
  const afterPaint = () => {
    const inDom = epochNow();
    requestAnimationFrame(() => requestAnimationFrame(() => painted(inDom, epochNow())));
  };
  const check = () => {
    if (done || !(root instanceof Document || root instanceof Element) || !root.querySelector(FIRST_ROW)) return;
    done = true;
    observer.disconnect();
    afterPaint();
  };
  const observer = new MutationObserver(check);
  observer.observe(root, { childList: true, subtree: true });
  check();
  return () => {
    done = true;
    observer.disconnect();
  };
}

/** Starts probing when the launch asked for it; `scriptStart` is when main.tsx began. */
export function startProbeIfAsked(scriptStart: number): void {
  if (!startupProbeActive()) return;
  whenFirstRowPainted(document, (firstRowInDom, firstRowPainted) => {
    void startupProbeFinish({
      navigationStart: performance.timeOrigin,
      scriptStart,
      firstRowInDom,
      firstRowPainted,
      steps: startupSteps(),
    }).catch(
      (error: unknown) => console.error("start-up probe:", error),
    );
  });
}
