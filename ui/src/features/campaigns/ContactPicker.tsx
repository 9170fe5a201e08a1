import { Select } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { contactsList } from "../../api/contacts";

type Option = { value: string; label: string };

/** What a contact is reached at on `channel`: their email address or phone number. */
const addressOf = (c: { email: string | null; phone: string | null }, channel: "email" | "sms") => (channel === "sms" ? c.phone : c.email);

/** A searchable contact select (first matches by name or address), for personalising previews and tests. */
export function ContactPicker({
  value,
  onChange,
  label,
  description,
  testId,
  channel = "email",
}: {
  value: string | null;
  onChange: (id: string | null, label: string | null) => void;
  label: string;
  description?: string;
  testId: string;
  /** Only contacts with an address on this channel are offered. */
  channel?: "email" | "sms";
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
          .filter((c) => addressOf(c, channel))
          .map((c) => {
            const address = addressOf(c, channel) ?? "";
            return { value: c.id, label: c.displayName && c.displayName !== address ? `${c.displayName} <${address}>` : address };
          });
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
  }, [debounced, value, channel]);

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
      nothingFoundMessage={channel === "sms" ? "No contact with a phone number matches" : "No contact with an email address matches"}
      data-testid={testId}
    />
  );
}
