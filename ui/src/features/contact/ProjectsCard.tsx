import { Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconBriefcase, IconPlus } from "@tabler/icons-react";
import { useEffect, useState, type FormEvent } from "react";
import { errorField, errorMessage } from "../../api/errors";
import { projectsAdd, projectStatusesList } from "../../api/projects";
import type { ContactDetail } from "../../bindings/ContactDetail";
import { EmptyHint } from "../../components/EmptyHint";
import { formatMoney, humanize } from "../../lib/format";
import { SectionCard } from "./SectionCard";

const STATUS_COLORS: Record<string, string> = { lead: "blue", active: "indigo", on_hold: "yellow", won: "teal", lost: "gray" };

function AddProjectForm({ contactId, currency, onSaved, onCancel }: {
  contactId: string;
  currency: string;
  onSaved: (d: ContactDetail) => void;
  onCancel: () => void;
}) {
  const [statuses, setStatuses] = useState<string[] | null>(null);
  const [name, setName] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [value, setValue] = useState("");
  const [errors, setErrors] = useState<{ name?: string; status?: string; value?: string; form?: string }>({});
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    projectStatusesList().then(
      (list) => {
        setStatuses(list);
        setStatus((s) => s ?? list[0] ?? null);
      },
      (e: unknown) => setErrors({ form: errorMessage(e) }),
    );
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!name.trim()) next.name = "Give the project a name";
    if (!status) next.status = "Choose a status";
    setErrors(next);
    if (next.name || next.status || !status) return;
    setSaving(true);
    try {
      onSaved(await projectsAdd(contactId, name.trim(), status, value.trim() || "0"));
    } catch (err) {
      const field = errorField(err);
      const message = errorMessage(err);
      setErrors(field === "name" || field === "status" || field === "value" ? { [field]: message } : { form: message });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Paper withBorder p="md" mb="md" bg="var(--herald-page-bg)">
      <form onSubmit={(e) => void submit(e)} data-testid="project-form">
        <Stack gap="sm">
          <TextInput
            label="Project name"
            placeholder="Website redesign"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.name}
            data-testid="project-name"
            data-autofocus
          />
          <Group grow align="flex-start">
            <Select
              label="Status"
              data={(statuses ?? []).map((s) => ({ value: s, label: humanize(s) }))}
              value={status}
              onChange={setStatus}
              allowDeselect={false}
              placeholder={statuses ? undefined : "Loading…"}
              error={errors.status}
              data-testid="project-status"
            />
            <TextInput
              label="Value"
              placeholder="0.00"
              inputMode="decimal"
              rightSection={<Text size="xs" c="dimmed">{currency}</Text>}
              rightSectionWidth={48}
              value={value}
              onChange={(e) => setValue(e.currentTarget.value)}
              error={errors.value}
              data-testid="project-value"
            />
          </Group>
          {errors.form && (
            <Text size="sm" c="red" data-testid="project-error">
              {errors.form}
            </Text>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" size="xs" onClick={onCancel} disabled={saving}>
              Cancel
            </Button>
            <Button type="submit" size="xs" loading={saving} data-testid="project-save">
              Add project
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

export function ProjectsCard({ detail, currency, onChanged }: {
  detail: ContactDetail;
  currency: string;
  onChanged: (d: ContactDetail) => void;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <SectionCard
      title="Projects"
      testId="projects-card"
      action={
        !adding && (
          <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)} data-testid="add-project">
            Add project
          </Button>
        )
      }
    >
      {adding && (
        <AddProjectForm
          contactId={detail.contact.id}
          currency={currency}
          onCancel={() => setAdding(false)}
          onSaved={(d) => {
            setAdding(false);
            onChanged(d);
          }}
        />
      )}
      {detail.projects.length === 0 ? (
        !adding && <EmptyHint icon={<IconBriefcase size={18} />} text="No projects yet. Track deals and work for this contact with their status and value." />
      ) : (
        <Table verticalSpacing="sm" data-testid="projects-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Project</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th ta="right">Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.projects.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td fw={500}>{p.name}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLORS[p.status] ?? "gray"} tt="none">
                    {humanize(p.status)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right" className="tabular">
                  {formatMoney(p.valueMinor, p.currency)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </SectionCard>
  );
}
