import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState, type FormEvent } from "react";
import { campaignTemplatesSave, type TemplateDetail } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";

/** Names the editor's current HTML and keeps it as one of the user's templates. */
export function SaveTemplateModal({ opened, html, onClose, onSaved }: { opened: boolean; html: string; onClose: () => void; onSaved: (t: TemplateDetail) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    // The modal sits inside the wizard's form in React's tree: keep the submit here.
    e.stopPropagation();
    if (!name.trim()) return setError("Give the template a name");
    setSaving(true);
    try {
      const t = await campaignTemplatesSave({ name: name.trim(), html });
      notifications.show({ color: "teal", title: "Template saved", message: `${t.name} is in your templates.` });
      onSaved(t);
      setName("");
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Save as a template">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            The message as it is now becomes a template you can start other campaigns from.
          </Text>
          <TextInput
            label="Template name"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setError(null);
            }}
            error={error}
            data-autofocus
            data-testid="template-name"
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} data-testid="template-save">
              Save template
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
