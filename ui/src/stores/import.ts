import { create } from "zustand";
import { errorMessage } from "../api/errors";
import { importDiscard, importPreview, importRun, importUpload, onImportProgress } from "../api/import";
import type { ColumnMapping } from "../bindings/ColumnMapping";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { ImportRequest } from "../bindings/ImportRequest";
import type { ImportSummary } from "../bindings/ImportSummary";

/** Files go to the backend in slices of this size, so a large file never sits whole in one message. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The wizard's steps, in order. Each action below is allowed only in the
 * steps it names; anything else is ignored, so a double click or a stale
 * callback cannot move the wizard somewhere it should not be.
 *
 * choose → uploading → mapping ⇄ checking → reviewed → importing → done
 *             ↓ error: back to choose       ↓ error: back to mapping / reviewed
 */
export type ImportStep = "choose" | "uploading" | "mapping" | "checking" | "reviewed" | "importing" | "done";

type ImportState = {
  step: ImportStep;
  fileName: string | null;
  upload: { sent: number; total: number };
  uploadId: string | null;
  preview: ImportPreview | null;
  mappings: ColumnMapping[];
  tags: string[];
  consentSource: string;
  dryRun: ImportSummary | null;
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  error: string | null;

  /** choose → uploading → mapping: sends the file in slices, then reads its preview. */
  uploadFile: (file: File) => Promise<void>;
  /** mapping/reviewed: changes which field a column goes to (a dry run is then needed again). */
  setField: (column: number, field: string) => void;
  setTags: (tags: string[]) => void;
  setConsentSource: (source: string) => void;
  /** mapping → checking → reviewed: runs the import and rolls it back, for exact counts. */
  check: () => Promise<void>;
  /** reviewed → mapping. */
  backToMapping: () => void;
  /** reviewed → importing → done, following `import-progress` events meanwhile. */
  run: () => Promise<void>;
  /** Leaves the wizard from any step, discarding an upload that was not imported. */
  cancel: () => Promise<void>;
};

const INITIAL = {
  step: "choose" as ImportStep,
  fileName: null,
  upload: { sent: 0, total: 0 },
  uploadId: null,
  preview: null,
  mappings: [],
  tags: [],
  consentSource: "",
  dryRun: null,
  progress: null,
  summary: null,
  error: null,
};

/** What is wrong with a mapping, per column index; an empty map when it can be imported. */
export function mappingProblems(mappings: ColumnMapping[]): Map<number, string> {
  const problems = new Map<number, string>();
  const firstByField = new Map<string, string>();
  mappings.forEach((m, i) => {
    if (m.field === "ignore") return;
    const first = firstByField.get(m.field);
    if (first === undefined) firstByField.set(m.field, m.header);
    else problems.set(i, `“${first}” already goes to this field`);
  });
  return problems;
}

/** Every contact needs an email or a phone; a mapping without either imports nothing. */
export function mapsEmailOrPhone(mappings: ColumnMapping[]): boolean {
  return mappings.some((m) => m.field === "email" || m.field === "phone");
}

// Bumped when the wizard is left, so an upload still in flight stops and its results are dropped.
let session = 0;

export const useImportStore = create<ImportState>()((set, get) => {
  function request(dryRun: boolean): ImportRequest {
    const s = get();
    const source = s.consentSource.trim();
    return {
      uploadId: s.uploadId ?? "",
      mappings: s.mappings,
      ignoreUnknown: false,
      tags: s.tags,
      consentSource: source === "" ? null : source,
      dryRun,
    };
  }

  return {
    ...INITIAL,

    uploadFile: async (file) => {
      if (get().step !== "choose") return;
      const mine = ++session;
      set({ ...INITIAL, step: "uploading", fileName: file.name, upload: { sent: 0, total: file.size } });
      let uploadId = "";
      try {
        let offset = 0;
        do {
          const end = Math.min(offset + CHUNK_BYTES, file.size);
          const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
          uploadId = await importUpload(bytes, uploadId, file.name);
          if (mine !== session) {
            await importDiscard(uploadId).catch(() => undefined);
            return;
          }
          offset = end;
          set({ uploadId, upload: { sent: offset, total: file.size } });
        } while (offset < file.size);
        const preview = await importPreview(uploadId);
        if (mine !== session) return;
        set({ step: "mapping", preview, mappings: preview.columns.map((c) => ({ ...c })) });
      } catch (e) {
        if (mine !== session) return;
        if (uploadId) await importDiscard(uploadId).catch(() => undefined);
        set({ ...INITIAL, error: errorMessage(e) });
      }
    },

    setField: (column, field) => {
      const { step, mappings } = get();
      if (step !== "mapping" && step !== "reviewed") return;
      set({
        step: "mapping",
        dryRun: null,
        error: null,
        mappings: mappings.map((m, i) => (i === column ? { ...m, field } : m)),
      });
    },

    setTags: (tags) => {
      const { step } = get();
      if (step !== "mapping" && step !== "reviewed") return;
      set({ tags, step: "mapping", dryRun: null });
    },

    setConsentSource: (consentSource) => {
      const { step } = get();
      if (step !== "mapping" && step !== "reviewed") return;
      set({ consentSource, step: "mapping", dryRun: null });
    },

    check: async () => {
      if (get().step !== "mapping") return;
      const mine = session;
      set({ step: "checking", error: null });
      try {
        const dryRun = await importRun(request(true));
        if (mine !== session) return;
        set({ step: "reviewed", dryRun });
      } catch (e) {
        if (mine !== session) return;
        set({ step: "mapping", error: errorMessage(e) });
      }
    },

    backToMapping: () => {
      if (get().step === "reviewed") set({ step: "mapping", error: null });
    },

    run: async () => {
      const { step, uploadId } = get();
      if (step !== "reviewed" || !uploadId) return;
      const mine = session;
      set({ step: "importing", error: null, progress: null });
      const unlisten = await onImportProgress((progress) => {
        if (mine === session && progress.uploadId === uploadId && get().step === "importing") set({ progress });
      }).catch(() => null);
      try {
        const summary = await importRun(request(false));
        if (mine !== session) return;
        set({ step: "done", summary });
      } catch (e) {
        if (mine !== session) return;
        set({ step: "reviewed", error: errorMessage(e) });
      } finally {
        unlisten?.();
      }
    },

    cancel: async () => {
      const { step, uploadId } = get();
      session++;
      set({ ...INITIAL });
      // After a real import the backend has already removed the upload.
      if (uploadId && step !== "done") await importDiscard(uploadId).catch(() => undefined);
    },
  };
});

export function resetImportStore(): void {
  session++;
  useImportStore.setState({ ...INITIAL });
}
