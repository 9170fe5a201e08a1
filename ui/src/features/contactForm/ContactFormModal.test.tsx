import { screen, waitFor } from "@testing-library/react";
import type { ContactInput } from "../../bindings/ContactInput";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";

function withContacts(): FakeBackend {
  const fake = new FakeBackend().install();
  fake.add({ id: "c-ada", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", phone: "+442079460958" });
  return fake;
}

describe("add contact form", () => {
  it("explains an invalid phone under the field when it loses focus, with the backend's words", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-phone"), "555-0123 ext 9");
    await user.tab();
    expect(await screen.findByTestId("error-phone")).toHaveTextContent('"555-0123 ext 9" is not a valid phone number');
    expect(fake.callsOf("contacts_check_field").at(-1)!.args).toEqual({ field: "phone", value: "555-0123 ext 9", country: null });
    expect(screen.getByTestId("field-phone")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows the normalised form of a valid phone number", async () => {
    withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-phone"), "+44 20 7946 0959");
    await user.tab();
    expect(await screen.findByText("Will be saved as +442079460959")).toBeInTheDocument();
    expect(screen.queryByTestId("error-phone")).not.toBeInTheDocument();
  });

  it("reads a national phone number in the contact's country, as saving does", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-phone"), "030 1234567");
    await user.tab();
    expect(await screen.findByText("Will be saved as +44301234567")).toBeInTheDocument();
    await user.type(screen.getByTestId("field-country"), "DE");
    await user.tab();
    expect(await screen.findByText("Will be saved as +49301234567")).toBeInTheDocument();
    expect(fake.callsOf("contacts_check_field").at(-1)!.args).toEqual({ field: "phone", value: "030 1234567", country: "DE" });
  });

  it("names the country a code stands for", async () => {
    withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-country"), "germany");
    await user.tab();
    expect(await screen.findByText("Germany (DE)")).toBeInTheDocument();
  });

  it("saves nothing while a field is invalid, and focuses that field", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-firstName"), "Alan");
    await user.type(screen.getByTestId("field-email"), "alan@bletchley");
    await user.type(screen.getByTestId("field-phone"), "+44 1908 640404");
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByTestId("error-email")).toHaveTextContent('"alan@bletchley" is not an email address');
    expect(screen.getByTestId("field-email")).toHaveFocus();
    expect(fake.callsOf("contacts_create")).toHaveLength(0);
  });

  it("clears a field's error as soon as it is edited", async () => {
    withContacts();
    const { user } = renderApp("/contacts/new");
    const email = await screen.findByTestId("field-email");
    await user.type(email, "nope");
    await user.tab();
    await screen.findByTestId("error-email");
    await user.type(email, "@example.com");
    expect(screen.queryByTestId("error-email")).not.toBeInTheDocument();
  });

  it("creates the contact on Enter and opens it", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-firstName"), "Grace");
    await user.type(screen.getByTestId("field-lastName"), "Hopper");
    await user.type(screen.getByTestId("field-email"), "Grace@Navy.example{Enter}");
    expect(await screen.findByTestId("contact-name")).toHaveTextContent("Grace Hopper");
    expect(screen.getByTestId("contact-email")).toHaveTextContent("grace@navy.example");
    const input = (fake.callsOf("contacts_create")[0]!.args as { input: ContactInput }).input;
    expect(input).toEqual({ firstName: "Grace", lastName: "Hopper", email: "Grace@Navy.example", phone: "", company: "", city: "", region: "", country: "" });
  });

  it("puts a conflict from the backend under the field it concerns", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-email"), "ada@example.com");
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByTestId("error-email")).toHaveTextContent("ada@example.com already belongs to Ada Lovelace");
    expect(fake.contacts).toHaveLength(1);
    await waitFor(() => expect(screen.getByTestId("field-email")).toHaveFocus());
  });

  it("shows an error that concerns no field above the form", async () => {
    const fake = withContacts();
    fake.on("contacts_create", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-email"), "new@example.com");
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByTestId("form-error")).toHaveTextContent("Something went wrong; details are in the log");
    expect(screen.getByTestId("contact-save")).toBeEnabled();
  });

  it("disables Save while saving", async () => {
    const fake = withContacts();
    let release: () => void = () => {};
    fake.on("contacts_create", () => new Promise((_, reject) => (release = () => reject(commandError("internal", "later")))));
    const { user } = renderApp("/contacts/new");
    await user.type(await screen.findByTestId("field-email"), "new@example.com");
    await user.click(screen.getByTestId("contact-save"));
    await waitFor(() => expect(screen.getByTestId("contact-save")).toBeDisabled());
    release();
    await waitFor(() => expect(screen.getByTestId("contact-save")).toBeEnabled());
  });
});

describe("edit contact form", () => {
  it("starts from the contact's values and saves changes", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/c-ada/edit");
    const company = await screen.findByTestId("field-company");
    expect(screen.getByTestId("field-email")).toHaveValue("ada@example.com");
    await user.type(company, "Analytical Engines");
    await user.click(screen.getByTestId("contact-save"));
    await waitFor(() => expect(fake.callsOf("contacts_update")).toHaveLength(1));
    expect(fake.callsOf("contacts_update")[0]!.args).toMatchObject({ id: "c-ada", input: { company: "Analytical Engines" } });
    expect(await screen.findByText("Analytical Engines", { selector: "p" })).toBeInTheDocument();
  });

  it("refuses an invalid phone and leaves the contact as it was", async () => {
    const fake = withContacts();
    const { user } = renderApp("/contacts/c-ada/edit");
    const phone = await screen.findByTestId("field-phone");
    await user.clear(phone);
    await user.type(phone, "12");
    await user.click(screen.getByTestId("contact-save"));
    expect(await screen.findByTestId("error-phone")).toHaveTextContent('"12" is not a valid phone number');
    expect(fake.callsOf("contacts_update")).toHaveLength(0);
    expect(fake.contacts[0]!.contact.phone).toBe("+442079460958");
  });
});
