import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { contactsList } from "../../api/contacts";

type Option = { value: string; label: string };

/** A searchable contact select (first matches by name or address), for personalising previews and tests. */
export function ContactPicker({
  value,
  onChange,
  label,
  description,
  testId,
}: {
  value: string | null;
  onChange: (id: string | null, label: string | null) => void;
  label: string;
  description?: string;
  testId: string;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 200);
  const [options, setOptions] = useState<Option[]>([]);

  useEffect(() => {
    let live = true;
    contactsList({
      search: debounced.trim() || null,
      tag: null,
      emailStatus: null,
      smsStatus: null,
      sort: "name",
      direction: "asc",
      after: null,
      limit: 20,
    }).then(
      (page) => {
        if (!live) return;
        const found = page.items
          .filter((c) => c.email)
          .map((c) => ({ value: c.id, label: c.displayName && c.displayName !== c.email ? `${c.displayName} <${c.email}>` : (c.email ?? "") }));
        // Keep the chosen one selectable while another search is shown.
        setOptions((prev) => {
          const chosen = prev.find((o) => o.value === value);
          return chosen && !found.some((o) => o.value === chosen.value) ? [chosen, ...found] : found;
        });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [debounced, value]);

  return (
    <Select
      label={label}
      description={description}
      placeholder="A sample contact"
      data={options}
      value={value}
      onChange={(v) => onChange(v, options.find((o) => o.value === v)?.label ?? null)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      clearable
      nothingFoundMessage="No contact with an email address matches"
      data-testid={testId}
    />
  );
}
