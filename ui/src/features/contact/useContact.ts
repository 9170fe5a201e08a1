import { useCallback, useEffect, useState } from "react";
import { contactsGet } from "../../api/contacts";
import { errorMessage, isCommandError } from "../../api/errors";
import type { ContactDetail } from "../../bindings/ContactDetail";

export type ContactLoad =
  | { status: "loading" }
  | { status: "ready"; detail: ContactDetail }
  | { status: "missing" }
  | { status: "error"; message: string };

type Loaded = { id: string; attempt: number; load: ContactLoad };

export function useContact(id: string) {
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let live = true;
    contactsGet(id).then(
      (detail) => live && setLoaded({ id, attempt, load: { status: "ready", detail } }),
      (e: unknown) =>
        live &&
        setLoaded({
          id,
          attempt,
          load: isCommandError(e) && e.kind === "not_found" ? { status: "missing" } : { status: "error", message: errorMessage(e) },
        }),
    );
    return () => {
      live = false;
    };
  }, [id, attempt]);

  // What was loaded for another contact, or before a retry, is not shown.
  const state: ContactLoad = loaded && loaded.id === id && loaded.attempt === attempt ? loaded.load : { status: "loading" };

  const reload = useCallback(() => setAttempt((a) => a + 1), []);
  /** Every edit command answers with the contact as it now is. */
  const replace = useCallback(
    (detail: ContactDetail) => setLoaded({ id: detail.contact.id, attempt, load: { status: "ready", detail } }),
    [attempt],
  );

  return { state, reload, replace };
}
