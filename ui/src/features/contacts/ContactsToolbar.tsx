import { Button, CloseButton, Group, Select, TextInput } from "@mantine/core";
import { IconFilterOff, IconSearch } from "@tabler/icons-react";
import type { EmailStatus } from "../../bindings/EmailStatus";
import type { SmsStatus } from "../../bindings/SmsStatus";
import type { TagCount } from "../../bindings/TagCount";
import { formatCount } from "../../lib/format";
import { EMAIL_STATUSES, SMS_STATUSES, statusLabel } from "../../lib/status";
import { hasFilters, useContactsStore } from "../../stores/contacts";

export function ContactsToolbar({ tags }: { tags: TagCount[] }) {
  const searchInput = useContactsStore((s) => s.searchInput);
  const filters = useContactsStore((s) => s.filters);
  const setSearch = useContactsStore((s) => s.setSearch);
  const setTag = useContactsStore((s) => s.setTag);
  const setEmailStatus = useContactsStore((s) => s.setEmailStatus);
  const setSmsStatus = useContactsStore((s) => s.setSmsStatus);
  const clearFilters = useContactsStore((s) => s.clearFilters);
  const filtered = hasFilters(filters) || searchInput.trim() !== "";

  return (
    <Group gap="sm" wrap="wrap" align="center">
      <TextInput
        placeholder="Search name, email, company or phone"
        aria-label="Search contacts"
        leftSection={<IconSearch size={16} stroke={1.8} />}
        rightSection={
          searchInput ? <CloseButton size="sm" aria-label="Clear search" onClick={() => setSearch("")} /> : null
        }
        value={searchInput}
        onChange={(e) => setSearch(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setSearch("");
        }}
        w={{ base: "100%", sm: 320 }}
        data-testid="contacts-search"
      />
      <Select
        placeholder="All tags"
        aria-label="Filter by tag"
        data={tags.map((t) => ({ value: t.name, label: `${t.name} (${formatCount(t.contacts)})` }))}
        value={filters.tag}
        onChange={setTag}
        clearable
        searchable
        nothingFoundMessage="No such tag"
        w={190}
        data-testid="filter-tag"
      />
      <Select
        placeholder="Any email status"
        aria-label="Filter by email status"
        data={EMAIL_STATUSES.map((s) => ({ value: s, label: `Email: ${statusLabel(s)}` }))}
        value={filters.emailStatus}
        onChange={(v) => setEmailStatus(v as EmailStatus | null)}
        clearable
        w={190}
        data-testid="filter-email-status"
      />
      <Select
        placeholder="Any SMS status"
        aria-label="Filter by SMS status"
        data={SMS_STATUSES.map((s) => ({ value: s, label: `SMS: ${statusLabel(s)}` }))}
        value={filters.smsStatus}
        onChange={(v) => setSmsStatus(v as SmsStatus | null)}
        clearable
        w={180}
        data-testid="filter-sms-status"
      />
      {filtered && (
        <Button variant="subtle" color="gray" leftSection={<IconFilterOff size={16} />} onClick={clearFilters} data-testid="clear-filters">
          Clear filters
        </Button>
      )}
    </Group>
  );
}
