import { Anchor, Avatar, Button, EmptyState, Grid, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconMail, IconPencil, IconPhone, IconUserQuestion } from "@tabler/icons-react";
import { Link, useNavigate, useParams } from "react-router";
import type { ContactDetail } from "../../bindings/ContactDetail";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { StatusBadge } from "../../components/StatusBadge";
import { useTags } from "../../hooks/useTags";
import { initials } from "../../lib/format";
import { useContactsStore } from "../../stores/contacts";
import { useWorkspaceStore } from "../../stores/workspace";
import { ContactFormModal } from "../contactForm/ContactFormModal";
import { ConsentCard } from "./ConsentCard";
import { DetailsCard } from "./DetailsCard";
import { InteractionsCard } from "./InteractionsCard";
import { ProjectsCard } from "./ProjectsCard";
import { TagsCard } from "./TagsCard";
import { useContact } from "./useContact";

function BackLink() {
  return (
    <Anchor component={Link} to="/contacts" size="sm" c="dimmed" mb="md" display="inline-flex" style={{ alignItems: "center", gap: 4 }}>
      <IconArrowLeft size={14} /> Contacts
    </Anchor>
  );
}

function Loading() {
  return (
    <Stack gap="lg" data-testid="contact-loading">
      <Group gap="md">
        <Skeleton circle h={56} w={56} />
        <Stack gap={8}>
          <Skeleton h={22} w={220} />
          <Skeleton h={12} w={300} />
        </Stack>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Skeleton h={320} radius="md" />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Skeleton h={320} radius="md" />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Header({ detail, onEdit }: { detail: ContactDetail; onEdit: () => void }) {
  const c = detail.contact;
  return (
    <Group justify="space-between" align="flex-start" mb="xl" wrap="wrap" gap="md">
      <Group gap="md" wrap="nowrap" align="center">
        <Avatar name={c.displayName} color="initials" size={60} radius="xl">
          {initials(c.displayName)}
        </Avatar>
        <Stack gap={6}>
          <Title order={2} fz={24} data-testid="contact-name">
            {c.displayName}
          </Title>
          <Group gap="md" wrap="wrap">
            {c.email && (
              <Group gap={6} wrap="nowrap">
                <IconMail size={15} stroke={1.6} color="var(--mantine-color-dimmed)" />
                <Text size="sm" c="dimmed" data-testid="contact-email">
                  {c.email}
                </Text>
              </Group>
            )}
            {c.phone && (
              <Group gap={6} wrap="nowrap">
                <IconPhone size={15} stroke={1.6} color="var(--mantine-color-dimmed)" />
                <Text size="sm" c="dimmed" data-testid="contact-phone">
                  {c.phone}
                </Text>
              </Group>
            )}
          </Group>
          <Group gap={6}>
            {c.email && <StatusBadge status={c.emailStatus} channel="email" />}
            {c.phone && <StatusBadge status={c.smsStatus} channel="sms" />}
          </Group>
        </Stack>
      </Group>
      <Button variant="default" leftSection={<IconPencil size={16} />} onClick={onEdit} data-testid="contact-edit">
        Edit
      </Button>
    </Group>
  );
}

export function ContactDetailPage({ editing = false }: { editing?: boolean }) {
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const { state, reload, replace } = useContact(id);
  const { tags: suggestions, reload: reloadTags } = useTags();
  const currency = useWorkspaceStore((s) => s.info?.defaultCurrency ?? "USD");

  // Any change here changes what the contacts list shows.
  const changed = (d: ContactDetail) => {
    replace(d);
    useContactsStore.getState().invalidate();
  };

  let body;
  if (state.status === "loading") body = <Loading />;
  else if (state.status === "missing")
    body = (
      <EmptyState
        mt={80}
        icon={<IconUserQuestion size={28} stroke={1.5} />}
        withIndicatorBackground
        title="This contact no longer exists"
        description="It may have been deleted or merged into another contact."
        data-testid="contact-missing"
      >
        <EmptyState.Actions>
          <Button component={Link} to="/contacts" variant="default">
            Back to contacts
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  else if (state.status === "error")
    body = <ErrorState title="This contact could not be loaded" message={state.message} onRetry={() => void reload()} testId="contact-error" />;
  else {
    const d = state.detail;
    body = (
      <>
        <Header detail={d} onEdit={() => navigate(`/contacts/${id}/edit`)} />
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Stack gap="lg">
              <TagsCard
                key={d.contact.id}
                contactId={d.contact.id}
                tags={d.contact.tags}
                suggestions={suggestions}
                onChanged={(tags) => {
                  changed({ ...d, contact: { ...d.contact, tags } });
                  void reloadTags();
                }}
              />
              <DetailsCard detail={d} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="lg">
              <ConsentCard detail={d} onChanged={changed} />
              <InteractionsCard detail={d} onChanged={changed} />
              <ProjectsCard detail={d} currency={currency} onChanged={changed} />
            </Stack>
          </Grid.Col>
        </Grid>
        <ContactFormModal
          opened={editing}
          contact={d}
          onClose={() => navigate(`/contacts/${id}`)}
          onSaved={(saved) => {
            changed(saved);
            navigate(`/contacts/${id}`);
          }}
        />
      </>
    );
  }

  return (
    <Page>
      <BackLink />
      {body}
    </Page>
  );
}
