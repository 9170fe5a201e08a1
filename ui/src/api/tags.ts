import { invoke } from "@tauri-apps/api/core";
import type { TagCount } from "../bindings/TagCount";

export function tagsList(): Promise<TagCount[]> {
  return invoke<TagCount[]>("tags_list");
}
