import { Loader, TagsInput, Text } from "@mantine/core";
import { useState } from "react";
import { contactsEditTags } from "../../api/contacts";
import { errorMessage } from "../../api/errors";
import type { TagCount } from "../../bindings/TagCount";
import { SectionCard } from "./SectionCard";

/** Tags edited in place: each add or remove is saved at once with `contacts_edit_tags`. */
export function TagsCard({ contactId, tags, suggestions, onChanged }: {
  contactId: string;
  tags: string[];
  suggestions: TagCount[];
  onChanged: (tags: string[]) => void;
}) {
  const [value, setValue] = useState(tags);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function change(next: string[]) {
    const lower = (xs: string[]) => new Set(xs.map((t) => t.toLowerCase()));
    const before = lower(value);
    const after = lower(next);
    const add = next.filter((t) => !before.has(t.toLowerCase()));
    const remove = value.filter((t) => !after.has(t.toLowerCase()));
    if (add.length === 0 && remove.length === 0) return;
    const previous = value;
    setValue(next);
    setSaving(true);
    setError(null);
    try {
      const saved = await contactsEditTags(contactId, add, remove);
      setValue(saved);
      onChanged(saved);
    } catch (e) {
      setValue(previous);
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <SectionCard title="Tags" action={saving ? <Loader size={14} /> : null} testId="tags-card">
      <TagsInput
        aria-label="Tags"
        placeholder={value.length ? "Add a tag" : "Add a tag and press Enter"}
        value={value}
        onChange={(next) => void change(next)}
        data={suggestions.map((t) => t.name)}
        splitChars={[","]}
        clearable={false}
        error={error}
        errorProps={{ "data-testid": "tags-error" }}
        data-testid="tags-input"
        isDuplicate={(v, current) => current.some((t) => t.toLowerCase() === v.toLowerCase())}
      />
      <Text size="xs" c="dimmed" mt="xs">
        Group contacts with tags; the contacts list can filter by them.
      </Text>
    </SectionCard>
  );
}
