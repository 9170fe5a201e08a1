import { Button, EmptyState, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { IconFileImport, IconSearchOff, IconUserPlus, IconUsers } from "@tabler/icons-react";
import { useEffect } from "react";
import { Link, useNavigate } from "react-router";
import { useTags } from "../../hooks/useTags";
import { formatCount, plural } from "../../lib/format";
import { hasFilters, useContactsStore } from "../../stores/contacts";
import { firstScreenShown } from "../../lib/firstScreen";
import { startupStep } from "../../lib/startup";
import { useWorkspaceStore } from "../../stores/workspace";
import { ContactFormModal } from "../contactForm/ContactFormModal";
import classes from "./ContactsPage.module.css";
import { ContactsTable } from "./ContactsTable";
import { ContactsToolbar } from "./ContactsToolbar";

function Empty() {
  const filters = useContactsStore((s) => s.filters);
  const clearFilters = useContactsStore((s) => s.clearFilters);
  if (hasFilters(filters)) {
    return (
      <EmptyState
        icon={<IconSearchOff size={28} stroke={1.5} />}
        withIndicatorBackground
        title="No contacts match"
        description="Try a different search, or clear the filters to see everyone."
        data-testid="contacts-no-match"
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={clearFilters} data-testid="empty-clear-filters">
            Clear filters
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  }
  return (
    <EmptyState
      icon={<IconUsers size={28} stroke={1.5} />}
      variant="light"
      title="No contacts yet"
      description="Import a CSV from your spreadsheet or CRM, or add your first contact by hand."
      data-testid="contacts-empty"
    >
      <EmptyState.Actions>
        <Group gap="sm" justify="center">
          <Button component={Link} to="/import" leftSection={<IconFileImport size={16} />} data-testid="empty-import">
            Import a CSV
          </Button>
          <Button component={Link} to="/contacts/new" variant="default" leftSection={<IconUserPlus size={16} />} data-testid="empty-add-contact">
            Add contact
          </Button>
        </Group>
      </EmptyState.Actions>
    </EmptyState>
  );
}

export function ContactsPage({ creating = false }: { creating?: boolean }) {
  const navigate = useNavigate();
  const status = useContactsStore((s) => s.status);
  const stale = useContactsStore((s) => s.stale);
  const total = useContactsStore((s) => s.total);
  const loaded = useContactsStore((s) => s.loaded);
  const filtered = useContactsStore((s) => hasFilters(s.filters));
  const reload = useContactsStore((s) => s.reload);
  const { tags, reload: reloadTags } = useTags();

  useEffect(() => startupStep("contacts_page_committed"), []);
  useEffect(() => {
    if (loaded) firstScreenShown();
  }, [loaded]);
  useEffect(() => {
    if (status === "idle" || stale) void reload();
  }, [status, stale, reload]);

  const countText = !loaded ? null : filtered ? `${formatCount(total)} matching` : plural(total, "contact");

  return (
    <div className={classes.page}>
      <Group justify="space-between" align="flex-end" mb="lg" wrap="wrap" gap="md">
        <Stack gap={4}>
          <Title order={2} fz={24}>
            Contacts
          </Title>
          <Group gap={8} h={20}>
            {countText === null ? (
              <Loader size={12} type="dots" />
            ) : (
              <Text size="sm" c="dimmed" className="tabular" data-testid="contacts-total">
                {countText}
              </Text>
            )}
            {status === "loading" && loaded && <Loader size={12} />}
          </Group>
        </Stack>
        <Group gap="sm">
          <Button component={Link} to="/import" variant="default" leftSection={<IconFileImport size={16} />}>
            Import CSV
          </Button>
          <Button component={Link} to="/contacts/new" leftSection={<IconUserPlus size={16} />} data-testid="add-contact">
            Add contact
          </Button>
        </Group>
      </Group>
      <div className={classes.toolbar}>
        <ContactsToolbar tags={tags} />
      </div>
      <ContactsTable empty={<Empty />} />
      <ContactFormModal
        opened={creating}
        onClose={() => navigate("/contacts")}
        onSaved={(detail) => {
          useContactsStore.getState().invalidate();
          void useWorkspaceStore.getState().refresh();
          void reloadTags();
          navigate(`/contacts/${detail.contact.id}`);
        }}
      />
    </div>
  );
}
