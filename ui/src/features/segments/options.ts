import { createContext, useContext, useEffect, useMemo, useState } from "react";
import { projectStatusesList } from "../../api/projects";
import { segmentsCustomFields } from "../../api/segments";
import type { CustomFieldInfo } from "../../bindings/CustomFieldInfo";
import { useTags } from "../../hooks/useTags";
import { useSegmentsStore } from "../../stores/segments";
import { fieldCatalogue, type FieldDef } from "./fields";
import type { SentenceContext } from "./sentence";

/** What the builder's pickers offer. Each list loads on its own; a failure leaves it empty. */
export type SegmentOptions = SentenceContext & {
  catalogue: FieldDef[];
  tags: string[];
  projectStatuses: string[];
  /** Saved segments a rule may refer to (never the one being edited). */
  segments: { value: string; label: string }[];
};

const EMPTY: SegmentOptions = {
  customFields: [],
  segmentNames: new Map(),
  catalogue: fieldCatalogue([]),
  tags: [],
  projectStatuses: [],
  segments: [],
};

export const SegmentOptionsContext = createContext<SegmentOptions>(EMPTY);

export function useSegmentOptions(): SegmentOptions {
  return useContext(SegmentOptionsContext);
}

/** Loads the builder's options; `editingId` is left out of the segments a rule can pick. */
export function useLoadSegmentOptions(editingId: string | null): SegmentOptions {
  const { tags } = useTags();
  const [customFields, setCustomFields] = useState<CustomFieldInfo[]>([]);
  const [projectStatuses, setProjectStatuses] = useState<string[]>([]);
  const saved = useSegmentsStore((s) => s.list.items);
  const listStatus = useSegmentsStore((s) => s.list.status);
  const listStale = useSegmentsStore((s) => s.list.stale);
  const loadList = useSegmentsStore((s) => s.loadList);

  useEffect(() => {
    let live = true;
    segmentsCustomFields().then(
      (list) => live && setCustomFields(list),
      () => live && setCustomFields([]),
    );
    projectStatusesList().then(
      (list) => live && setProjectStatuses(list),
      () => live && setProjectStatuses([]),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (listStatus === "idle" || listStale) void loadList();
  }, [listStatus, listStale, loadList]);

  return useMemo(
    () => ({
      customFields,
      segmentNames: new Map(saved.map((s) => [s.id, s.name])),
      catalogue: fieldCatalogue(customFields),
      tags: tags.map((t) => t.name),
      projectStatuses,
      segments: saved.filter((s) => s.id !== editingId).map((s) => ({ value: s.id, label: s.name })),
    }),
    [customFields, saved, tags, projectStatuses, editingId],
  );
}
