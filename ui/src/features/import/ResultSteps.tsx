import { Alert, Card, Progress, ScrollArea, SimpleGrid, Stack, Table, Text, ThemeIcon, Title } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconCopy } from "@tabler/icons-react";
import type { ImportSummary } from "../../bindings/ImportSummary";
import { formatCount, plural } from "../../lib/format";
import { useImportStore } from "../../stores/import";

/** Bad rows listed at most; the rest are counted. */
const MAX_LISTED = 500;

function Count({ label, value, color, testId, hint }: { label: string; value: number; color?: string; testId: string; hint?: string }) {
  return (
    <Card padding="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.4}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} className="tabular" data-testid={testId}>
        {formatCount(value)}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Card>
  );
}

export function SummaryCounts({ summary, prefix }: { summary: ImportSummary; prefix: "dry" | "summary" }) {
  const future = summary.dryRun;
  return (
    <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="md">
      <Count label={future ? "New" : "Imported"} value={summary.imported} color="teal" testId={`${prefix}-imported`} hint={future ? "contacts to create" : "new contacts"} />
      <Count label="Updated" value={summary.updated} testId={`${prefix}-updated`} hint={future ? "existing contacts" : "existing contacts"} />
      <Count label="Unchanged" value={summary.unchanged} testId={`${prefix}-unchanged`} hint="already up to date" />
      <Count label="Skipped" value={summary.skipped} color={summary.skipped ? "red" : undefined} testId={`${prefix}-skipped`} hint="rows with problems" />
      <Count label="Duplicates" value={summary.duplicates.length} testId={`${prefix}-duplicates`} hint="merged with earlier rows" />
    </SimpleGrid>
  );
}

export function ReviewStep() {
  const summary = useImportStore((s) => s.dryRun);
  const error = useImportStore((s) => s.error);
  if (!summary) return null;
  const listed = summary.errors.slice(0, MAX_LISTED);
  return (
    <Stack gap="lg">
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The import did not run" data-testid="import-error">
          {error}
        </Alert>
      )}
      <SummaryCounts summary={summary} prefix="dry" />
      {summary.errors.length === 0 ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="import-all-valid">
          Every row can be imported.
        </Alert>
      ) : (
        <Card padding={0}>
          <Stack gap={2} px="lg" pt="md" pb="sm">
            <Text fw={650}>
              {plural(summary.errors.length, "problem")} in {plural(summary.skipped, "row")}
            </Text>
            <Text size="sm" c="dimmed">
              These rows will be skipped; every other row is imported. Fix them in the file and import it again to
              add them later.
            </Text>
          </Stack>
          <ScrollArea.Autosize mah={340} type="auto">
            <Table striped stickyHeader verticalSpacing={6} horizontalSpacing="lg" fz="sm" data-testid="bad-rows">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={80}>Line</Table.Th>
                  <Table.Th w="25%">Column</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {listed.map((e, i) => (
                  <Table.Tr key={i} data-testid="bad-row">
                    <Table.Td className="tabular">{e.line}</Table.Td>
                    <Table.Td>{e.column === "*" ? <Text span c="dimmed" size="sm">whole row</Text> : e.column}</Table.Td>
                    <Table.Td>{e.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
          {summary.errors.length > listed.length && (
            <Text size="xs" c="dimmed" px="lg" py="sm">
              and {plural(summary.errors.length - listed.length, "more problem")}
            </Text>
          )}
        </Card>
      )}
      {summary.duplicates.length > 0 && (
        <Text size="sm" c="dimmed">
          <IconCopy size={14} style={{ verticalAlign: -2 }} />{" "}
          {summary.duplicates.length === 1
            ? "1 row repeats an earlier row (same email or phone) and will be merged into it"
            : `${plural(summary.duplicates.length, "row")} repeat earlier rows (same email or phone) and will be merged into them`}
          {summary.duplicates.length <= 5 &&
            `: ${summary.duplicates.map((d) => `line ${d.line} → line ${d.firstLine}`).join(", ")}`}
          .
        </Text>
      )}
    </Stack>
  );
}

export function ImportingStep() {
  const progress = useImportStore((s) => s.progress);
  const fileName = useImportStore((s) => s.fileName);
  const percent = progress && progress.totalBytes > 0 ? Math.min(100, (progress.bytes / progress.totalBytes) * 100) : 0;
  return (
    <Stack gap="md" align="center" py="xl" data-testid="import-progress">
      <Title order={3} fz={20}>
        Importing {fileName}
      </Title>
      <Progress value={progress ? percent : 100} animated={!progress || percent < 100} striped={!progress} w="100%" maw={520} size="lg" radius="xl" aria-label="Import progress" />
      <Text size="sm" c="dimmed" className="tabular" data-testid="import-progress-rows">
        {progress ? `${plural(progress.rows, "row")} read · ${Math.round(percent)}%` : "Starting…"}
      </Text>
      <Text size="xs" c="dimmed" maw={460} ta="center">
        The import is all or nothing: if anything goes wrong, your workspace stays exactly as it was.
      </Text>
    </Stack>
  );
}

export function DoneStep() {
  const summary = useImportStore((s) => s.summary);
  if (!summary) return null;
  return (
    <Stack gap="lg" data-testid="import-summary">
      <Stack gap={6} align="center" py="md">
        <ThemeIcon size={56} radius="xl" color="teal" variant="light">
          <IconCircleCheck size={30} stroke={1.6} />
        </ThemeIcon>
        <Title order={3} fz={22}>
          Import complete
        </Title>
        <Text c="dimmed" size="sm">
          {plural(summary.imported + summary.updated, "contact")} added or updated
          {summary.skipped > 0 ? `; ${plural(summary.skipped, "row")} skipped` : ""}.
        </Text>
      </Stack>
      <SummaryCounts summary={summary} prefix="summary" />
    </Stack>
  );
}
