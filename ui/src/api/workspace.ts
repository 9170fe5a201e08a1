import { invoke } from "@tauri-apps/api/core";
import type { DemoSummary } from "../bindings/DemoSummary";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";

export function workspaceInfo(): Promise<WorkspaceInfo> {
  return invoke<WorkspaceInfo>("workspace_info");
}

/** Fills an empty workspace with `count` made-up contacts; refused (`conflict`) when it has any. */
export function workspaceLoadDemo(count: number): Promise<DemoSummary> {
  return invoke<DemoSummary>("workspace_load_demo", { count });
}
