// The app builds its segment index and analytics rollups in the background
// once the first screen is up (src-tauri/src/warmup.rs): started any earlier,
// they compete with that screen's queries and rendering for the CPU. Screens
// whose first paint matters (the contact list, the dashboard) call
// `firstScreenShown` once their data is on screen; the shell calls it a
// little after the workspace opens for every other screen.
import { appFirstScreenShown } from "../api/workspace";

let told = false;
// The frame callback waiting to tell the app, if any.
let pending: number | null = null;

/** Tells the app, once per launch, after the next frame is painted. */
export function firstScreenShown(): void {
  if (told) return;
  told = true;
  // A requestAnimationFrame callback runs before its frame is painted: the
  // one after it runs once that frame is on screen.
  pending = requestAnimationFrame(() => {
    pending = requestAnimationFrame(() => {
      pending = null;
      appFirstScreenShown().catch((error: unknown) => console.error("app_first_screen_shown:", error));
    });
  });
}

/** Whether the app has been told (tests). */
export function firstScreenTold(): boolean {
  return told;
}

/** Forgets that the app was told, and cancels telling it (tests). */
export function resetFirstScreen(): void {
  if (pending !== null) cancelAnimationFrame(pending);
  pending = null;
  told = false;
}
