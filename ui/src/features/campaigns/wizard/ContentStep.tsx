import { Button, Group, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconDeviceFloppy } from "@tabler/icons-react";
import type { Editor } from "@tiptap/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { campaignTemplatesGet, campaignTemplatesList, type AttachmentInfo, type CampaignInput, type TemplateSummary } from "../../../api/campaigns";
import { errorMessage } from "../../../api/errors";
import { ConfirmDialog, type Confirmation } from "../ConfirmDialog";
import { Attachments } from "./Attachments";
import { hasContent, needsHtmlEditor, type DraftField, type FieldErrors } from "./draft";
import { RichEditor } from "./RichEditor";
import { SaveTemplateModal } from "./SaveTemplateModal";
import { TemplatePicker } from "./TemplatePicker";
import { VariablePicker } from "./VariablePicker";
import { variableHtml } from "./variables";

type Props = {
  campaignId: string;
  draft: CampaignInput;
  errors: FieldErrors;
  change: <K extends DraftField>(field: K, value: CampaignInput[K]) => void;
  attachments: AttachmentInfo[];
  onAttachments: (next: AttachmentInfo[]) => void;
};

/** Step 3: a template to start from, the message (rich text or raw HTML), attachments. */
export function ContentStep({ campaignId, draft, errors, change, attachments, onAttachments }: Props) {
  const [templates, setTemplates] = useState<TemplateSummary[] | null>(null);
  const [templatesError, setTemplatesError] = useState<string | null>(null);
  const [loadingId, setLoadingId] = useState<string | null>(null);
  const [saveOpen, setSaveOpen] = useState(false);
  const [ask, setAsk] = useState<Confirmation | null>(null);
  // Bumped to remount the editor with new HTML (a template, or a switch from HTML mode).
  const [editorKey, setEditorKey] = useState(0);
  const editorRef = useRef<Editor | null>(null);
  const htmlRef = useRef<HTMLTextAreaElement>(null);
  const onReady = useCallback((e: Editor | null) => {
    editorRef.current = e;
  }, []);

  useEffect(() => {
    let live = true;
    campaignTemplatesList().then(
      (t) => live && setTemplates(t),
      (e: unknown) => live && setTemplatesError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, []);

  function pick(t: TemplateSummary) {
    if (!hasContent(draft.html)) return void load(t);
    setAsk({
      title: `Start over from “${t.name}”?`,
      body: "The message you have written is replaced by the template. Undo cannot bring it back.",
      confirm: "Replace the message",
      color: "red",
      run: () => void load(t),
    });
  }

  async function load(t: TemplateSummary) {
    setLoadingId(t.id);
    try {
      const detail = await campaignTemplatesGet(t.id);
      change("html", detail.html);
      change("templateId", detail.id);
      // A laid-out template (tables, styles) would lose its layout in the rich editor.
      if (needsHtmlEditor(detail.html) && draft.editor === "rich") {
        change("editor", "html");
        notifications.show({ color: "blue", title: "Opened in the HTML editor", message: `“${detail.name}” has a layout the rich editor cannot keep. Edit its text in the HTML.` });
      }
      setEditorKey((k) => k + 1);
    } catch (e) {
      notifications.show({ color: "red", title: "The template could not be opened", message: errorMessage(e) });
    } finally {
      setLoadingId(null);
    }
  }

  function insertVariable(tag: string) {
    const el = htmlRef.current;
    const text = variableHtml(tag);
    const start = el?.selectionStart ?? draft.html.length;
    const end = el?.selectionEnd ?? draft.html.length;
    change("html", draft.html.slice(0, start) + text + draft.html.slice(end));
  }

  function switchMode(mode: "rich" | "html") {
    if (mode === draft.editor) return;
    const apply = () => {
      change("editor", mode);
      setEditorKey((k) => k + 1);
    };
    if (mode === "rich" && hasContent(draft.html)) {
      setAsk({
        title: "Switch to the rich editor?",
        body: "The rich editor keeps text, headings, lists, links and images. Styles, tables and other HTML it cannot edit are dropped.",
        confirm: "Switch",
        run: apply,
      });
      return;
    }
    apply();
  }

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Text size="sm" fw={500}>
          Start from a template
        </Text>
        <TemplatePicker templates={templates} error={templatesError} selected={draft.templateId} loadingId={loadingId} onPick={pick} />
      </Stack>

      <Stack gap="xs">
        <Group justify="space-between" align="flex-end">
          <Text size="sm" fw={500}>
            Message
          </Text>
          <SegmentedControl
            size="xs"
            value={draft.editor}
            onChange={(v) => switchMode(v as "rich" | "html")}
            data={[
              { value: "rich", label: "Rich text" },
              { value: "html", label: "HTML" },
            ]}
            data-testid="campaign-editor-mode"
          />
        </Group>
        {draft.editor === "rich" ? (
          <RichEditor key={editorKey} initial={draft.html} onChange={(html) => change("html", html)} invalid={!!errors.html} onReady={onReady} />
        ) : (
          <Stack gap={4}>
            <Group justify="flex-end">
              <VariablePicker testId="html-variables" onPick={insertVariable} links />
            </Group>
            <Textarea
              ref={htmlRef}
              value={draft.html}
              onChange={(e) => change("html", e.currentTarget.value)}
              autosize
              minRows={14}
              maxRows={30}
              spellCheck={false}
              styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)", fontSize: 13 } }}
              aria-label="Message HTML"
              data-testid="campaign-html"
            />
          </Stack>
        )}
        {errors.html && (
          <Text size="xs" c="red" data-testid="campaign-error-html">
            {errors.html}
          </Text>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            Variables such as {"{{ contact.first_name }}"} are filled in for each recipient.
          </Text>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconDeviceFloppy size={14} />}
            onClick={() => setSaveOpen(true)}
            disabled={!hasContent(draft.html)}
            data-testid="template-save-open"
          >
            Save as template
          </Button>
        </Group>
      </Stack>

      <Attachments campaignId={campaignId} attachments={attachments} onChange={onAttachments} />

      <ConfirmDialog ask={ask} onClose={() => setAsk(null)} testId="content-confirm" />
      <SaveTemplateModal
        opened={saveOpen}
        html={draft.html}
        onClose={() => setSaveOpen(false)}
        onSaved={(t) => setTemplates((list) => [...(list ?? []), { id: t.id, name: t.name, thumbnail: t.thumbnail, builtin: t.builtin }])}
      />
    </Stack>
  );
}
