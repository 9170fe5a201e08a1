import { ActionIcon, Divider, Tooltip } from "@mantine/core";
import {
  IconArrowBackUp,
  IconArrowForwardUp,
  IconBold,
  IconH1,
  IconH2,
  IconItalic,
  IconLink,
  IconList,
  IconListNumbers,
  IconPhoto,
} from "@tabler/icons-react";
import Image from "@tiptap/extension-image";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, type ReactNode } from "react";
import classes from "./RichEditor.module.css";
import { UrlPopover } from "./UrlPopover";
import { VariablePicker } from "./VariablePicker";
import { variableHtml } from "./variables";

function ToolButton({ label, active, onClick, disabled, children }: { label: string; active?: boolean; onClick: () => void; disabled?: boolean; children: ReactNode }) {
  return (
    <Tooltip label={label}>
      <ActionIcon
        variant={active ? "light" : "subtle"}
        color={active ? "indigo" : "gray"}
        aria-label={label}
        aria-pressed={active}
        onClick={onClick}
        disabled={disabled}
      >
        {children}
      </ActionIcon>
    </Tooltip>
  );
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      h1: e.isActive("heading", { level: 1 }),
      h2: e.isActive("heading", { level: 2 }),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      link: (e.getAttributes("link").href as string | undefined) ?? "",
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  return (
    <div className={classes.toolbar} role="toolbar" aria-label="Formatting">
      <ToolButton label="Bold" active={state.bold} onClick={() => chain().toggleBold().run()}>
        <IconBold size={16} />
      </ToolButton>
      <ToolButton label="Italic" active={state.italic} onClick={() => chain().toggleItalic().run()}>
        <IconItalic size={16} />
      </ToolButton>
      <Divider orientation="vertical" mx={4} />
      <ToolButton label="Heading" active={state.h1} onClick={() => chain().toggleHeading({ level: 1 }).run()}>
        <IconH1 size={16} />
      </ToolButton>
      <ToolButton label="Subheading" active={state.h2} onClick={() => chain().toggleHeading({ level: 2 }).run()}>
        <IconH2 size={16} />
      </ToolButton>
      <ToolButton label="Bulleted list" active={state.bullet} onClick={() => chain().toggleBulletList().run()}>
        <IconList size={16} />
      </ToolButton>
      <ToolButton label="Numbered list" active={state.ordered} onClick={() => chain().toggleOrderedList().run()}>
        <IconListNumbers size={16} />
      </ToolButton>
      <Divider orientation="vertical" mx={4} />
      <UrlPopover
        key={`link-${state.link}`}
        icon={<IconLink size={16} />}
        label="Link"
        placeholder="https://example.com"
        initial={state.link}
        onSubmit={(href) => chain().extendMarkRange("link").setLink({ href }).run()}
        onRemove={() => chain().extendMarkRange("link").unsetLink().run()}
        testId="editor-link"
      />
      <UrlPopover
        icon={<IconPhoto size={16} />}
        label="Image from a URL"
        placeholder="https://example.com/banner.png"
        onSubmit={(src) => chain().setImage({ src }).run()}
        testId="editor-image"
      />
      <Divider orientation="vertical" mx={4} />
      <ToolButton label="Undo" disabled={!state.canUndo} onClick={() => chain().undo().run()}>
        <IconArrowBackUp size={16} />
      </ToolButton>
      <ToolButton label="Redo" disabled={!state.canRedo} onClick={() => chain().redo().run()}>
        <IconArrowForwardUp size={16} />
      </ToolButton>
      <div style={{ flex: 1 }} />
      <VariablePicker testId="editor-variables" onPick={(tag) => chain().insertContent(variableHtml(tag)).run()} links />
    </div>
  );
}

/**
 * The rich-text editor: `initial` is read when it mounts (remount it with a
 * new key to load other HTML); every change goes to `onChange` as HTML.
 */
export function RichEditor({
  initial,
  onChange,
  invalid,
  onReady,
}: {
  initial: string;
  onChange: (html: string) => void;
  invalid?: boolean;
  onReady?: (editor: Editor | null) => void;
}) {
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, defaultProtocol: "https" } }), Image],
    content: initial,
    onUpdate: ({ editor: e }) => onChange(e.isEmpty ? "" : e.getHTML()),
    editorProps: { attributes: { "aria-label": "Message", "aria-multiline": "true", role: "textbox", "data-testid": "campaign-editor" } },
  });

  useEffect(() => {
    onReady?.(editor);
    return () => onReady?.(null);
  }, [editor, onReady]);

  return (
    <div className={`${classes.frame} ${invalid ? classes.invalid : ""}`}>
      {editor && <Toolbar editor={editor} />}
      <EditorContent editor={editor} className={classes.content} />
    </div>
  );
}
