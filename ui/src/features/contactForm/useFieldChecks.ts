import { useCallback, useRef, useState } from "react";
import { contactsCheckField, type CheckedField } from "../../api/contacts";

/** `value` keys what was checked: the text, and for a phone the country it was read in; `text` is the text alone. */
export type FieldCheckState =
  | { status: "idle" }
  | { status: "checking"; value: string }
  | { status: "ok"; value: string; text: string; normalized: string | null }
  | { status: "invalid"; value: string; message: string }
  /** The check itself could not run; saving will validate instead. */
  | { status: "unavailable"; value: string };

const checkedKey = (value: string, country: string) => `${value}\u0000${country.trim().toUpperCase()}`;

export const CHECKED_FIELDS: readonly CheckedField[] = ["email", "phone", "country"];

type Checks = Record<CheckedField, FieldCheckState>;
const IDLE: Checks = { email: { status: "idle" }, phone: { status: "idle" }, country: { status: "idle" } };

/**
 * Checks email, phone and country with the backend's own parsers
 * (`contacts_check_field`), so the form explains a bad value before saving
 * exactly as saving would. A value is checked once; answers for a value the
 * field no longer holds are dropped.
 */
export function useFieldChecks() {
  const [checks, setChecks] = useState<Checks>(IDLE);
  const latest = useRef<Checks>(IDLE);
  const inflight = useRef(new Map<string, Promise<FieldCheckState>>());

  const put = useCallback((field: CheckedField, state: FieldCheckState) => {
    latest.current = { ...latest.current, [field]: state };
    setChecks(latest.current);
  }, []);

  const check = useCallback(
    async (field: CheckedField, raw: string, country = ""): Promise<FieldCheckState> => {
      const text = raw.trim();
      if (text === "") {
        put(field, { status: "idle" });
        return { status: "idle" };
      }
      const hint = field === "phone" ? country : "";
      const value = checkedKey(text, hint);
      const current = latest.current[field];
      if (current.status !== "idle" && current.status !== "checking" && current.value === value) return current;
      const key = `${field}\u0000${value}`;
      let pending = inflight.current.get(key);
      if (!pending) {
        put(field, { status: "checking", value });
        pending = contactsCheckField(field, text, hint || undefined).then(
          (r): FieldCheckState =>
            r.ok
              ? { status: "ok", value, text, normalized: r.normalized }
              : { status: "invalid", value, message: r.message ?? "This value is not valid" },
          (): FieldCheckState => ({ status: "unavailable", value }),
        );
        inflight.current.set(key, pending);
        void pending.finally(() => inflight.current.delete(key));
      }
      const result = await pending;
      const now = latest.current[field];
      if (now.status !== "idle" && now.value === value) put(field, result);
      return result;
    },
    [put],
  );

  /** The field was edited: forget its verdict until it is checked again. */
  const reset = useCallback((field: CheckedField) => put(field, { status: "idle" }), [put]);

  return { checks, check, reset };
}
