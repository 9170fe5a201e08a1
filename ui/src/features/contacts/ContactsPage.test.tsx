import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { ContactListQuery } from "../../bindings/ContactListQuery";
import { FakeBackend, commandError } from "../../../test/fakeBackend";
import { renderApp } from "../../../test/render";
import { PAGE_SIZE } from "../../stores/contacts";

function seeded(n: number): FakeBackend {
  const fake = new FakeBackend().install();
  fake.add({ firstName: "Ada", lastName: "Lovelace", email: "ada@engines.co.uk", company: "Analytical Engines", country: "GB", tags: ["vip"], revenueMinor: 125050, createdAt: "2024-03-01T10:00:00Z" });
  fake.add({ firstName: "Grace", lastName: "Hopper", email: "grace@navy.example", company: "US Navy", phone: "+14155552671", country: "US", createdAt: "2024-02-01T10:00:00Z", emailStatus: "unsubscribed" });
  for (let i = 0; i < n - 2; i++) fake.add({ firstName: `Filler${i}`, email: `filler${i}@example.com`, createdAt: "2023-01-01T00:00:00Z" });
  return fake;
}
const lastQuery = (fake: FakeBackend) => (fake.callsOf("contacts_list").at(-1)!.args as { query: ContactListQuery }).query;

describe("contacts table", () => {
  it("shows the contacts with their fields and the total", async () => {
    seeded(2);
    renderApp("/contacts");
    const rows = await screen.findAllByTestId("contact-row");
    expect(rows).toHaveLength(2);
    expect(screen.getByTestId("contacts-total")).toHaveTextContent("2 contacts");
    const ada = rows[0]!;
    expect(ada).toHaveTextContent("Ada Lovelace");
    expect(ada).toHaveTextContent("ada@engines.co.uk");
    expect(ada).toHaveTextContent("Analytical Engines");
    expect(ada).toHaveTextContent("United Kingdom");
    expect(ada).toHaveTextContent(/1,250\.50/);
    expect(ada).toHaveTextContent("Never");
  });

  it("renders only the rows in view, and loads the next page when scrolled near the end", async () => {
    const fake = seeded(250);
    renderApp("/contacts");
    await waitFor(() => expect(screen.getAllByTestId("contact-row").length).toBeGreaterThan(10));
    expect(screen.getAllByTestId("contact-row").length).toBeLessThan(40);
    expect(screen.getByTestId("contacts-total")).toHaveTextContent("250 contacts");
    expect(fake.callsOf("contacts_list")).toHaveLength(1);
    const scroller = screen.getByTestId("contacts-table");
    scroller.scrollTop = 52 * 80;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(fake.callsOf("contacts_list")).toHaveLength(2));
    expect(lastQuery(fake).after).toBe(String(PAGE_SIZE));
    await waitFor(() => expect(screen.getAllByTestId("contact-row").length).toBeLessThan(40));
  });

  it("keeps the loaded rows when the next page fails, and retries it from the end of the table", async () => {
    const fake = seeded(250);
    renderApp("/contacts");
    await waitFor(() => expect(screen.getAllByTestId("contact-row").length).toBeGreaterThan(10));
    fake.on("contacts_list", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const scroller = screen.getByTestId("contacts-table");
    scroller.scrollTop = 52 * 95;
    fireEvent.scroll(scroller);
    expect(await screen.findByTestId("contacts-more-error")).toHaveTextContent("Something went wrong");
    expect(screen.getAllByTestId("contact-row").length).toBeGreaterThan(5);
    fake.overrides.delete("contacts_list");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(lastQuery(fake).after).toBe(String(PAGE_SIZE)));
    await waitFor(() => expect(screen.queryByTestId("contacts-more-error")).not.toBeInTheDocument());
  });

  it("moves between rows with the arrow keys", async () => {
    seeded(3);
    const { user } = renderApp("/contacts");
    const rows = await screen.findAllByTestId("contact-row");
    rows[0]!.focus();
    await user.keyboard("{ArrowDown}");
    expect(rows[1]).toHaveFocus();
    await user.keyboard("{ArrowUp}");
    expect(rows[0]).toHaveFocus();
  });

  it("narrows the table as the user searches", async () => {
    const fake = seeded(30);
    const { user } = renderApp("/contacts");
    await screen.findAllByTestId("contact-row");
    await user.type(screen.getByTestId("contacts-search"), "navy");
    await waitFor(() => expect(screen.getAllByTestId("contact-row")).toHaveLength(1));
    expect(screen.getByTestId("contact-row")).toHaveTextContent("Grace Hopper");
    expect(screen.getByTestId("contacts-total")).toHaveTextContent("1 matching");
    expect(lastQuery(fake).search).toBe("navy");
  });

  it("says when nothing matches, and clears the filters from there", async () => {
    seeded(5);
    const { user } = renderApp("/contacts");
    await screen.findAllByTestId("contact-row");
    await user.type(screen.getByTestId("contacts-search"), "zzz-nobody");
    const empty = await screen.findByTestId("contacts-no-match");
    expect(empty).toHaveTextContent("No contacts match");
    await user.click(within(empty).getByTestId("empty-clear-filters"));
    await waitFor(() => expect(screen.getAllByTestId("contact-row")).toHaveLength(5));
    expect(screen.getByTestId("contacts-search")).toHaveValue("");
  });

  it("filters by tag and by email status", async () => {
    const fake = seeded(5);
    const { user } = renderApp("/contacts");
    await screen.findAllByTestId("contact-row");
    await user.click(screen.getByTestId("filter-tag"));
    await user.click(await screen.findByRole("option", { name: /vip/ }));
    await waitFor(() => expect(screen.getAllByTestId("contact-row")).toHaveLength(1));
    expect(lastQuery(fake).tag).toBe("vip");
    await user.click(screen.getByTestId("clear-filters"));
    await user.click(screen.getByTestId("filter-email-status"));
    await user.click(await screen.findByRole("option", { name: "Email: Unsubscribed" }));
    await waitFor(() => expect(screen.getAllByTestId("contact-row")).toHaveLength(1));
    expect(screen.getByTestId("contact-row")).toHaveTextContent("Grace Hopper");
    expect(lastQuery(fake).emailStatus).toBe("unsubscribed");
  });

  it("sorts when a column header is clicked", async () => {
    const fake = seeded(3);
    const { user } = renderApp("/contacts");
    await screen.findAllByTestId("contact-row");
    await user.click(screen.getByTestId("sort-name"));
    await waitFor(() => expect(lastQuery(fake)).toMatchObject({ sort: "name", direction: "asc" }));
    expect(screen.getByTestId("sort-name").closest("[role=columnheader]")).toHaveAttribute("aria-sort", "ascending");
    await waitFor(() => expect(screen.getAllByTestId("contact-row")[0]).toHaveTextContent("Ada Lovelace"));
  });

  it("invites an import or a first contact when the workspace is empty", async () => {
    new FakeBackend().install();
    renderApp("/contacts");
    const empty = await screen.findByTestId("contacts-empty");
    expect(empty).toHaveTextContent("No contacts yet");
    expect(within(empty).getByTestId("empty-import")).toHaveAttribute("href", "/import");
  });

  it("shows a load error in place, and retries", async () => {
    const fake = seeded(3);
    fake.on("contacts_list", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    const { user } = renderApp("/contacts");
    expect(await screen.findByTestId("contacts-error")).toHaveTextContent("Something went wrong; details are in the log");
    fake.overrides.delete("contacts_list");
    await user.click(screen.getByTestId("contacts-error-retry"));
    expect(await screen.findAllByTestId("contact-row")).toHaveLength(3);
  });

  it("shows skeleton rows while the first page loads", async () => {
    const fake = seeded(3);
    let release: () => void = () => {};
    fake.on("contacts_list", () => new Promise((r) => (release = () => r({ items: [], total: 0, nextCursor: null }))));
    renderApp("/contacts");
    expect((await screen.findAllByTestId("contact-row-skeleton")).length).toBeGreaterThan(3);
    release();
    expect(await screen.findByTestId("contacts-empty")).toBeInTheDocument();
  });

  it("opens a contact when its row is clicked or Enter is pressed on it", async () => {
    seeded(2);
    const { user } = renderApp("/contacts");
    const rows = await screen.findAllByTestId("contact-row");
    await user.click(rows[1]!);
    expect(await screen.findByTestId("contact-name")).toHaveTextContent("Grace Hopper");
    await user.click(screen.getByTestId("nav-contacts"));
    const again = await screen.findAllByTestId("contact-row");
    again[0]!.focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("contact-name")).toHaveTextContent("Ada Lovelace");
  });
});
