/** Hands `blob` to the browser as a file download named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Hands `text` to the browser as a file download (CSV unless `type` says otherwise). */
export function downloadText(text: string, fileName: string, type = "text/csv;charset=utf-8") {
  downloadBlob(new Blob([text], { type }), fileName);
}
