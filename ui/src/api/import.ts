import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { ImportRequest } from "../bindings/ImportRequest";
import type { ImportSummary } from "../bindings/ImportSummary";

export const IMPORT_PROGRESS_EVENT = "import-progress";

/**
 * Sends the next chunk of an upload as a raw body; `uploadId` is "" for the
 * first chunk. Returns the upload id to send the following chunks with.
 * Header values must be ISO-8859-1, so the file name is percent-encoded.
 */
export function importUpload(chunk: Uint8Array, uploadId: string, fileName: string): Promise<string> {
  return invoke<string>("import_upload", chunk, {
    headers: { "x-upload-id": uploadId, "x-file-name": encodeURIComponent(fileName) },
  });
}

export function importPreview(uploadId: string): Promise<ImportPreview> {
  return invoke<ImportPreview>("import_preview", { uploadId });
}

export function importRun(request: ImportRequest): Promise<ImportSummary> {
  return invoke<ImportSummary>("import_run", { request });
}

export function importDiscard(uploadId: string): Promise<void> {
  return invoke<void>("import_discard", { uploadId });
}

export function onImportProgress(handler: (progress: ImportProgress) => void): Promise<UnlistenFn> {
  return listen<ImportProgress>(IMPORT_PROGRESS_EVENT, (event) => handler(event.payload));
}
