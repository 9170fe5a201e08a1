import { Alert, Button, Group, Progress, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconAlertTriangle, IconFileSpreadsheet, IconUpload } from "@tabler/icons-react";
import { useRef, useState, type DragEvent } from "react";
import { useImportStore } from "../../stores/import";
import classes from "./FileStep.module.css";

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function FileStep() {
  const step = useImportStore((s) => s.step);
  const fileName = useImportStore((s) => s.fileName);
  const upload = useImportStore((s) => s.upload);
  const error = useImportStore((s) => s.error);
  const uploadFile = useImportStore((s) => s.uploadFile);
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const uploading = step === "uploading";

  function take(files: FileList | null) {
    const file = files?.[0];
    if (file) void uploadFile(file);
  }

  const dragProps = {
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      if (!uploading) setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      if (!uploading) take(e.dataTransfer.files);
    },
  };

  return (
    <Stack gap="md">
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="That file could not be read" data-testid="import-error">
          {error}
        </Alert>
      )}
      <div className={classes.zone} data-over={over || undefined} data-testid="import-dropzone" {...dragProps}>
        <ThemeIcon size={56} radius="xl" variant="light">
          {uploading ? <IconUpload size={28} stroke={1.5} /> : <IconFileSpreadsheet size={28} stroke={1.5} />}
        </ThemeIcon>
        {uploading ? (
          <Stack gap={6} w="100%" maw={380} data-testid="import-uploading">
            <Text fw={600}>Reading {fileName}…</Text>
            <Progress value={upload.total ? (upload.sent / upload.total) * 100 : 100} animated />
            <Text size="xs" c="dimmed" className="tabular">
              {formatBytes(upload.sent)} of {formatBytes(upload.total)}
            </Text>
          </Stack>
        ) : (
          <>
            <Text fw={600} size="lg">
              Drop a CSV file here
            </Text>
            <Text size="sm" c="dimmed" maw={440}>
              Exports from Excel, Google Sheets, Mailchimp or your CRM work as they are. Nothing is saved until you
              confirm the import.
            </Text>
            <Group mt="xs">
              <Button onClick={() => inputRef.current?.click()} leftSection={<IconUpload size={16} />} data-testid="import-choose">
                Choose a file
              </Button>
            </Group>
          </>
        )}
        <input
          ref={inputRef}
          type="file"
          accept=".csv,text/csv,.txt,text/plain"
          className={classes.fileInput}
          data-testid="import-file-input"
          aria-label="CSV file to import"
          tabIndex={-1}
          disabled={uploading}
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = "";
          }}
        />
      </div>
      <Text size="xs" c="dimmed">
        Understood: UTF-8, UTF-16 and Windows (Excel) encodings; comma, semicolon or tab separators; a header row
        naming the columns.
      </Text>
    </Stack>
  );
}
