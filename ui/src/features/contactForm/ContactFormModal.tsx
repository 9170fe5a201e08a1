import { Alert, Button, Group, Modal, SimpleGrid, Stack, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCircleCheck } from "@tabler/icons-react";
import { useRef, useState, type FormEvent, type ReactNode } from "react";
import { contactsCreate, contactsUpdate, type CheckedField } from "../../api/contacts";
import { errorField, errorMessage } from "../../api/errors";
import type { ContactDetail } from "../../bindings/ContactDetail";
import type { ContactInput } from "../../bindings/ContactInput";
import { countryName } from "../../lib/format";
import { CHECKED_FIELDS, useFieldChecks, type FieldCheckState } from "./useFieldChecks";

type Field = keyof ContactInput;

/** The form's fields in the order they are shown (and focused when invalid). */
const ORDER: Field[] = ["firstName", "lastName", "email", "phone", "company", "city", "region", "country"];

const EMPTY: ContactInput = { firstName: "", lastName: "", email: "", phone: "", company: "", city: "", region: "", country: "" };

function inputFrom(detail: ContactDetail | undefined): ContactInput {
  if (!detail) return EMPTY;
  const c = detail.contact;
  return {
    firstName: c.firstName ?? "",
    lastName: c.lastName ?? "",
    email: c.email ?? "",
    phone: c.phone ?? "",
    company: c.company ?? "",
    city: c.city ?? "",
    region: detail.region ?? "",
    country: c.country ?? "",
  };
}

const isChecked = (f: Field): f is CheckedField => (CHECKED_FIELDS as readonly string[]).includes(f);

function describe(field: CheckedField, check: FieldCheckState): ReactNode {
  if (check.status === "checking") return "Checking…";
  if (check.status !== "ok" || !check.normalized) return null;
  const text =
    field === "country"
      ? `${countryName(check.normalized)} (${check.normalized})`
      : check.normalized !== check.text
        ? `Will be saved as ${check.normalized}`
        : null;
  if (!text) return null;
  return (
    <Group gap={4} component="span" wrap="nowrap" c="teal.7">
      <IconCircleCheck size={13} />
      {text}
    </Group>
  );
}

function ContactForm({ contact, onCancel, onSaved }: {
  contact?: ContactDetail;
  onCancel: () => void;
  onSaved: (detail: ContactDetail) => void;
}) {
  const [values, setValues] = useState<ContactInput>(() => inputFrom(contact));
  const [serverErrors, setServerErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { checks, check, reset } = useFieldChecks();
  const refs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});

  const errorOf = (f: Field): string | null => {
    if (serverErrors[f]) return serverErrors[f];
    if (isChecked(f)) {
      const c = checks[f];
      if (c.status === "invalid") return c.message;
    }
    return null;
  };

  function change(f: Field, value: string) {
    setValues((v) => ({ ...v, [f]: value }));
    if (serverErrors[f]) setServerErrors(({ [f]: _, ...rest }) => rest);
    if (isChecked(f)) reset(f);
    // A phone number without +country is read in the contact's country.
    if (f === "country") reset("phone");
  }

  function blur(f: CheckedField) {
    void check(f, values[f], values.country);
    if (f === "country" && values.phone.trim()) void check("phone", values.phone, values.country);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving) return;
    setSaving(true);
    setFormError(null);
    setServerErrors({});
    try {
      const results = await Promise.all(CHECKED_FIELDS.map((f) => check(f, values[f], values.country)));
      const invalid = CHECKED_FIELDS.filter((_, i) => results[i]?.status === "invalid");
      const firstInvalid = ORDER.find((f) => isChecked(f) && invalid.includes(f));
      if (firstInvalid) {
        refs.current[firstInvalid]?.focus();
        return;
      }
      const detail = contact ? await contactsUpdate(contact.contact.id, values) : await contactsCreate(values);
      notifications.show({
        color: "teal",
        title: contact ? "Contact updated" : "Contact added",
        message: detail.contact.displayName,
      });
      onSaved(detail);
    } catch (err) {
      const field = errorField(err) as Field | null;
      if (field && ORDER.includes(field)) {
        setServerErrors((s) => ({ ...s, [field]: errorMessage(err) }));
        refs.current[field]?.focus();
      } else {
        setFormError(errorMessage(err));
      }
    } finally {
      setSaving(false);
    }
  }

  const field = (f: Field, label: string, extra: { placeholder?: string; type?: string; autoComplete?: string } = {}) => (
    <TextInput
      ref={(el) => {
        refs.current[f] = el;
      }}
      label={label}
      value={values[f]}
      onChange={(e) => change(f, e.currentTarget.value)}
      onBlur={isChecked(f) ? () => blur(f) : undefined}
      error={errorOf(f)}
      description={isChecked(f) ? describe(f, checks[f]) : undefined}
      inputWrapperOrder={["label", "input", "description", "error"]}
      data-testid={`field-${f}`}
      errorProps={{ "data-testid": `error-${f}` }}
      aria-invalid={errorOf(f) ? true : undefined}
      data-autofocus={f === "firstName" ? true : undefined}
      {...extra}
    />
  );

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid="contact-form">
      <Stack gap="md">
        {formError && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="form-error">
            {formError}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md" verticalSpacing="md">
          {field("firstName", "First name", { autoComplete: "given-name" })}
          {field("lastName", "Last name", { autoComplete: "family-name" })}
          {field("email", "Email", { placeholder: "name@company.com", type: "email", autoComplete: "email" })}
          {field("phone", "Phone", { placeholder: "+44 20 7946 0958", type: "tel", autoComplete: "tel" })}
          {field("company", "Company", { autoComplete: "organization" })}
          {field("city", "City", { autoComplete: "address-level2" })}
          {field("region", "State / region", { autoComplete: "address-level1" })}
          {field("country", "Country", { placeholder: "GB or United Kingdom", autoComplete: "country" })}
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          A contact needs an email address or a phone number. Phone numbers without a +country code are read in the
          workspace's default region.
        </Text>
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" loading={saving} disabled={saving} data-testid="contact-save">
            {contact ? "Save changes" : "Add contact"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Add a contact (no `contact`) or edit one; nothing is saved while a field is invalid. */
export function ContactFormModal({ opened, contact, onClose, onSaved }: {
  opened: boolean;
  contact?: ContactDetail;
  onClose: () => void;
  onSaved: (detail: ContactDetail) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={contact ? "Edit contact" : "Add contact"} size="lg" styles={{ title: { fontWeight: 650, fontSize: 18 } }}>
      {opened && <ContactForm contact={contact} onCancel={onClose} onSaved={onSaved} />}
    </Modal>
  );
}
