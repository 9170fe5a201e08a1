import { useCallback, useEffect, useState } from "react";
import { tagsList } from "../api/tags";
import type { TagCount } from "../bindings/TagCount";

/** The workspace's tags with their contact counts; failures leave the list empty (tags are suggestions). */
export function useTags(): { tags: TagCount[]; reload: () => void } {
  const [tags, setTags] = useState<TagCount[]>([]);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    tagsList().then(
      (list) => live && setTags([...list].sort((a, b) => a.name.localeCompare(b.name))),
      () => live && setTags([]),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  return { tags, reload };
}
