import type { CommandError } from "../bindings/CommandError";

export type { CommandError };

const KINDS: ReadonlySet<string> = new Set<CommandError["kind"]>([
  "validation",
  "not_found",
  "conflict",
  "provider",
  "keychain_unavailable",
  "keychain",
  "relay",
  "internal",
]);

/** Whether a rejected `invoke` carried the backend's `{kind, message, field}` error. */
export function isCommandError(e: unknown): e is CommandError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.kind === "string" && KINDS.has(o.kind) && typeof o.message === "string";
}

/** A sentence to show a person, whatever was thrown. */
export function errorMessage(e: unknown): string {
  if (isCommandError(e)) return e.message;
  if (e instanceof Error && e.message) return e.message;
  if (typeof e === "string" && e) return e;
  return "Something went wrong. Please try again.";
}

/**
 * The form field a validation or conflict error belongs to, in the UI's
 * camelCase (`first_name` → `firstName`), or null when it concerns no field.
 */
export function errorField(e: unknown): string | null {
  if (!isCommandError(e) || !e.field) return null;
  if (e.kind !== "validation" && e.kind !== "conflict") return null;
  return e.field.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
