import { Alert, Anchor, Button, Card, Grid, Group, Modal, Skeleton, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconArrowLeft, IconDeviceFloppy, IconInfoCircle, IconMessage } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorState } from "../../components/ErrorState";
import { Page } from "../../components/Page";
import { PageHeader } from "../../components/PageHeader";
import { useSegmentsStore } from "../../stores/segments";
import { GroupEditor } from "./FilterTree";
import { SegmentOptionsContext, useLoadSegmentOptions, useSegmentOptions } from "./options";
import { PreviewPanel } from "./PreviewPanel";
import classes from "./SegmentEditor.module.css";
import { describeFilter } from "./sentence";

function BackLink() {
  return (
    <Anchor component={Link} to="/segments" size="sm" c="dimmed" mb="md" display="inline-flex" style={{ alignItems: "center", gap: 4 }}>
      <IconArrowLeft size={14} /> Segments
    </Anchor>
  );
}

function Sentence() {
  const root = useSegmentsStore((s) => s.editor.root);
  const options = useSegmentOptions();
  return (
    <Group gap="sm" wrap="nowrap" align="flex-start" className={classes.sentence}>
      <IconMessage size={16} style={{ flexShrink: 0, marginTop: 3 }} color="var(--mantine-color-dimmed)" />
      <Text size="sm" data-testid="segment-sentence">
        {describeFilter(root, options)}
      </Text>
    </Group>
  );
}

/** Name and description; Enter in the name saves. */
function Details({ onSubmit }: { onSubmit: () => void }) {
  const name = useSegmentsStore((s) => s.editor.name);
  const description = useSegmentsStore((s) => s.editor.description);
  const nameError = useSegmentsStore((s) => s.editor.nameError);
  const descriptionError = useSegmentsStore((s) => s.editor.descriptionError);
  const { setName, checkName, setDescription } = useSegmentsStore.getState();
  return (
    <Card>
      <Stack gap="md">
        <TextInput
          label="Name"
          placeholder="e.g. Engaged customers in Europe"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          onBlur={checkName}
          onKeyDown={(e) => {
            if (e.key === "Enter") onSubmit();
          }}
          error={nameError}
          data-testid="segment-name"
          errorProps={{ "data-testid": "segment-name-error" }}
          data-autofocus
          maxLength={200}
        />
        <Textarea
          label="Description"
          description="Optional: what this segment is for, so others know when to use it."
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={descriptionError}
          autosize
          minRows={1}
          maxRows={4}
          data-testid="segment-description"
        />
      </Stack>
    </Card>
  );
}

function Loading() {
  return (
    <Grid gap="lg" data-testid="segment-loading">
      <Grid.Col span={{ base: 12, lg: 7, xl: 8 }}>
        <Stack gap="lg">
          <Skeleton h={150} radius="md" />
          <Skeleton h={320} radius="md" />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5, xl: 4 }}>
        <Skeleton h={420} radius="md" />
      </Grid.Col>
    </Grid>
  );
}

/** The builder: a new segment (`segments/new`) or a saved one (`segments/:id`). */
export function SegmentEditorPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const status = useSegmentsStore((s) => s.editor.status);
  const error = useSegmentsStore((s) => s.editor.error);
  const savedName = useSegmentsStore((s) => s.editor.name);
  const root = useSegmentsStore((s) => s.editor.root);
  const usedBy = useSegmentsStore((s) => s.editor.usedBy);
  const formError = useSegmentsStore((s) => s.editor.formError);
  const saving = useSegmentsStore((s) => s.editor.saving);
  const { open, startNew, closeEditor, save } = useSegmentsStore.getState();
  const options = useLoadSegmentOptions(id ?? null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (id) void open(id);
    else startNew();
    return () => closeEditor();
  }, [id, attempt, open, startNew, closeEditor]);

  async function submit() {
    const saved = await save();
    if (!saved) return;
    notifications.show({ color: "teal", title: id ? "Segment saved" : "Segment created", message: saved.name });
    navigate("/segments");
  }

  function cancel() {
    if (useSegmentsStore.getState().editor.dirty) setConfirmLeave(true);
    else navigate("/segments");
  }

  const title = id ? (status === "ready" ? savedName.trim() || "Untitled segment" : "Edit segment") : "New segment";

  if (status === "error") {
    return (
      <Page>
        <BackLink />
        <ErrorState title="This segment could not be opened" message={error ?? ""} onRetry={() => setAttempt((a) => a + 1)} testId="segment-error" />
      </Page>
    );
  }

  return (
    <Page wide>
      <BackLink />
      <PageHeader
        title={title}
        description="Describe who belongs in this segment. The preview updates as you go."
        actions={
          <>
            <Button variant="default" onClick={cancel} disabled={saving} data-testid="segment-cancel">
              Cancel
            </Button>
            <Button onClick={() => void submit()} loading={saving} disabled={status !== "ready"} leftSection={<IconDeviceFloppy size={16} />} data-testid="segment-save">
              Save segment
            </Button>
          </>
        }
      />
      {status !== "ready" ? (
        <Loading />
      ) : (
        <SegmentOptionsContext.Provider value={options}>
          {formError && (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="lg" data-testid="segment-form-error">
              {formError}
            </Alert>
          )}
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 7, xl: 8 }}>
              <Stack gap="lg">
                <Details onSubmit={() => void submit()} />
                <Card>
                  <Stack gap="md">
                    <Stack gap={2}>
                      <Text fw={650}>Who is in this segment</Text>
                      <Text size="sm" c="dimmed">
                        Combine rules in groups: “All of” needs every condition, “Any of” at least one, “None of” leaves out
                        contacts matching any.
                      </Text>
                    </Stack>
                    <Sentence />
                    {usedBy.length > 0 && (
                      <Group gap={6} wrap="nowrap" data-testid="segment-used-by">
                        <IconInfoCircle size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
                        <Text size="xs" c="dimmed">
                          Used by {usedBy.map((n) => `“${n}”`).join(", ")}: changes here change {usedBy.length === 1 ? "it" : "them"} too.
                        </Text>
                      </Group>
                    )}
                    <GroupEditor group={root} depth={1} path="" />
                  </Stack>
                </Card>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5, xl: 4 }}>
              <PreviewPanel />
            </Grid.Col>
          </Grid>
        </SegmentOptionsContext.Provider>
      )}

      <Modal opened={confirmLeave} onClose={() => setConfirmLeave(false)} title="Discard your changes?" size="sm">
        <Stack gap="md">
          <Text size="sm">This segment has changes that are not saved yet. Leaving now discards them.</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setConfirmLeave(false)}>
              Keep editing
            </Button>
            <Button color="red" onClick={() => navigate("/segments")} data-testid="segment-discard">
              Discard changes
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Page>
  );
}
