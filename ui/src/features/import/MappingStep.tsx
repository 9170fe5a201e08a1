import { Alert, Badge, Card, Group, ScrollArea, Select, SimpleGrid, Stack, Table, TagsInput, Text, TextInput } from "@mantine/core";
import { IconAlertTriangle, IconFileSpreadsheet } from "@tabler/icons-react";
import { useMemo } from "react";
import { mappingProblems, mapsEmailOrPhone, useImportStore } from "../../stores/import";
import { fieldOptions } from "./fields";
import { formatBytes } from "./FileStep";

const PREVIEW_ROWS = 5;

function delimiterName(d: string): string {
  return d === "," ? "comma" : d === ";" ? "semicolon" : d === "\t" ? "tab" : JSON.stringify(d);
}

export function MappingStep() {
  const preview = useImportStore((s) => s.preview);
  const mappings = useImportStore((s) => s.mappings);
  const tags = useImportStore((s) => s.tags);
  const consentSource = useImportStore((s) => s.consentSource);
  const error = useImportStore((s) => s.error);
  const checking = useImportStore((s) => s.step === "checking");
  const setField = useImportStore((s) => s.setField);
  const setTags = useImportStore((s) => s.setTags);
  const setConsentSource = useImportStore((s) => s.setConsentSource);
  const problems = useMemo(() => mappingProblems(mappings), [mappings]);

  if (!preview) return null;
  const rows = preview.sampleRows.slice(0, PREVIEW_ROWS);

  return (
    <Stack gap="lg">
      <Group gap="sm">
        <IconFileSpreadsheet size={18} stroke={1.6} />
        <Text fw={600} data-testid="import-file-name">
          {preview.fileName}
        </Text>
        <Badge variant="default" tt="none">{formatBytes(preview.totalBytes)}</Badge>
        <Badge variant="default" tt="none">{preview.encoding}</Badge>
        <Badge variant="default" tt="none">{delimiterName(preview.delimiter)}-separated</Badge>
        <Badge variant="default" tt="none">{preview.headers.length} columns</Badge>
      </Group>

      {error && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="The file could not be checked" data-testid="import-error">
          {error}
        </Alert>
      )}
      {!mapsEmailOrPhone(mappings) && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="import-needs-identity">
          Choose which column holds the email address or the phone number: every contact needs one of them.
        </Alert>
      )}

      <Card padding={0}>
        <Text fw={650} px="lg" pt="md" pb="sm">
          First rows of the file
        </Text>
        <ScrollArea type="auto" offsetScrollbars>
          <Table striped withRowBorders={false} fz="sm" horizontalSpacing="lg" data-testid="import-preview-table" style={{ whiteSpace: "nowrap" }}>
            <Table.Thead>
              <Table.Tr>
                {preview.headers.map((h, i) => (
                  <Table.Th key={i}>{h}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r, ri) => (
                <Table.Tr key={ri}>
                  {preview.headers.map((_, ci) => (
                    <Table.Td key={ci} maw={240} style={{ overflow: "hidden", textOverflow: "ellipsis" }}>
                      {r[ci] ?? ""}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Card>

      <Card padding={0}>
        <Stack gap={2} px="lg" pt="md" pb="sm">
          <Text fw={650}>Columns</Text>
          <Text size="sm" c="dimmed">
            Herald matched the columns it recognised. Check them, and choose where the others go.
          </Text>
        </Stack>
        <Table verticalSpacing="xs" horizontalSpacing="lg" data-testid="import-mapping-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="30%">Column in the file</Table.Th>
              <Table.Th w="30%">Example</Table.Th>
              <Table.Th>Import as</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mappings.map((m, i) => {
              const example = preview.sampleRows.map((r) => r[i] ?? "").find((v) => v.trim() !== "") ?? "";
              const detected = preview.columns[i]?.field ?? m.field;
              return (
                <Table.Tr key={`${i}-${m.header}`} data-testid="mapping-row">
                  <Table.Td fw={500}>{m.header || <Text span c="dimmed">(no name)</Text>}</Table.Td>
                  <Table.Td c="dimmed" maw={220} style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
                    {example}
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Import "${m.header}" as`}
                      data={fieldOptions(m.header, i, detected)}
                      value={m.field}
                      onChange={(v) => v && setField(i, v)}
                      allowDeselect={false}
                      searchable
                      size="sm"
                      error={problems.get(i)}
                      disabled={checking}
                      data-testid={`mapping-${i}`}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>

      <Card>
        <Text fw={650} mb="sm">
          Options
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <TagsInput
            label="Tag every imported contact"
            description="For example the list or event these people came from."
            placeholder="Add a tag and press Enter"
            value={tags}
            onChange={setTags}
            disabled={checking}
            data-testid="import-tags"
          />
          <TextInput
            label="Where did they give consent?"
            description="Recorded as the consent source for subscribed contacts that have none yet."
            placeholder="e.g. Website sign-up form"
            value={consentSource}
            onChange={(e) => setConsentSource(e.currentTarget.value)}
            disabled={checking}
            data-testid="import-consent-source"
          />
        </SimpleGrid>
      </Card>
    </Stack>
  );
}
