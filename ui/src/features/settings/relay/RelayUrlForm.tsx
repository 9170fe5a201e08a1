import { Button, Group, TextInput } from "@mantine/core";
import { useRef, useState, type FormEvent } from "react";
import { useRelayStore } from "../../../stores/relay";

const EXAMPLE = "https://relay.example.com";

/** A quick check before asking the backend, which has the final word. */
function localProblem(raw: string): string | null {
  const value = raw.trim();
  if (!value) return `Enter the relay's address, e.g. ${EXAMPLE}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `Write the whole address, starting with https://, e.g. ${EXAMPLE}`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return `Use an https:// address, e.g. ${EXAMPLE}`;
  return null;
}

/** The relay's address, saved on its own (it is not a secret). */
export function RelayUrlForm({ saved }: { saved: string | null }) {
  const saveUrl = useRelayStore((s) => s.saveUrl);
  const saving = useRelayStore((s) => !!s.busy.url);
  const error = useRelayStore((s) => s.urlError);
  const setError = useRelayStore((s) => s.setUrlError);
  const [value, setValue] = useState(saved ?? "");
  const [shownSaved, setShownSaved] = useState(saved);
  const input = useRef<HTMLInputElement>(null);

  // Show what was saved (the backend tidies it: no trailing slash).
  if (shownSaved !== saved) {
    setShownSaved(saved);
    setValue(saved ?? "");
  }

  const dirty = value.trim() !== (saved ?? "");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving || !dirty) return;
    const problem = localProblem(value);
    if (problem) {
      setError(problem);
      input.current?.focus();
      return;
    }
    if (!(await saveUrl(value.trim()))) input.current?.focus();
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="relay-url-form">
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <TextInput
          ref={input}
          style={{ flex: 1 }}
          label="Relay URL"
          description="Where your herald-relay answers: an https:// address, or http://localhost for a relay on this computer."
          placeholder={EXAMPLE}
          value={value}
          onChange={(e) => {
            setValue(e.currentTarget.value);
            if (error) setError(null);
          }}
          onBlur={() => {
            if (dirty && value.trim()) setError(localProblem(value));
          }}
          error={error}
          errorProps={{ "data-testid": "relay-url-error" }}
          aria-invalid={error ? true : undefined}
          inputWrapperOrder={["label", "input", "description", "error"]}
          autoComplete="off"
          spellCheck={false}
          data-testid="relay-url"
        />
        <Button type="submit" mt={25} loading={saving} disabled={!dirty} data-testid="relay-url-save">
          Save
        </Button>
      </Group>
    </form>
  );
}
