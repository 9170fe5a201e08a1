import { waitFor } from "@testing-library/react";
import type { ContactListQuery } from "../bindings/ContactListQuery";
import { FakeBackend, commandError } from "../../test/fakeBackend";
import { PAGE_SIZE, SEARCH_DEBOUNCE_MS, hasFilters, useContactsStore } from "./contacts";

const store = () => useContactsStore.getState();
const queries = (fake: FakeBackend) => fake.callsOf("contacts_list").map((c) => (c.args as { query: ContactListQuery }).query);

function seeded(n: number): FakeBackend {
  const fake = new FakeBackend().install();
  for (let i = 0; i < n; i++) {
    fake.add({
      firstName: `Person${String(i).padStart(4, "0")}`,
      email: `p${i}@example.com`,
      company: i % 2 ? "Globex" : "Initech",
      tags: i % 3 === 0 ? ["vip"] : [],
      emailStatus: i % 5 === 0 ? "unsubscribed" : "subscribed",
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    });
  }
  return fake;
}

describe("contacts store", () => {
  it("loads the first keyset page, newest first, with the total", async () => {
    const fake = seeded(250);
    await store().reload();
    const s = store();
    expect(s.items).toHaveLength(PAGE_SIZE);
    expect(s.total).toBe(250);
    expect(s.nextCursor).not.toBeNull();
    expect(s.status).toBe("ready");
    expect(queries(fake)[0]).toEqual({
      search: null,
      tag: null,
      emailStatus: null,
      smsStatus: null,
      sort: "createdAt",
      direction: "desc",
      after: null,
      limit: PAGE_SIZE,
    });
    expect(s.items[0]!.firstName).toBe("Person0249");
  });

  it("appends the next page with the cursor it was given, until there is none", async () => {
    const fake = seeded(250);
    await store().reload();
    const cursor = store().nextCursor;
    await store().loadMore();
    expect(queries(fake)[1]!.after).toBe(cursor);
    expect(store().items).toHaveLength(200);
    await store().loadMore();
    expect(store().items).toHaveLength(250);
    expect(store().nextCursor).toBeNull();
    await store().loadMore();
    expect(fake.callsOf("contacts_list")).toHaveLength(3);
    expect(new Set(store().items.map((c) => c.id)).size).toBe(250);
  });

  it("does not ask for the same page twice while one is loading", async () => {
    const fake = seeded(250);
    await store().reload();
    await Promise.all([store().loadMore(), store().loadMore()]);
    expect(fake.callsOf("contacts_list")).toHaveLength(2);
  });

  it("starts over from the first page when a filter changes", async () => {
    const fake = seeded(250);
    await store().reload();
    await store().loadMore();
    store().setTag("vip");
    expect(store().items).toEqual([]);
    await waitFor(() => expect(store().status).toBe("ready"));
    expect(store().total).toBe(84);
    expect(queries(fake).at(-1)).toMatchObject({ tag: "vip", after: null });
    store().setEmailStatus("unsubscribed");
    await waitFor(() => expect(store().status).toBe("ready"));
    expect(queries(fake).at(-1)).toMatchObject({ tag: "vip", emailStatus: "unsubscribed", after: null });
    expect(store().items.every((c) => c.emailStatus === "unsubscribed" && c.tags.includes("vip"))).toBe(true);
  });

  it("waits for typing to pause before searching, then searches once", async () => {
    vi.useFakeTimers();
    const fake = seeded(30);
    await store().reload();
    store().setSearch("p");
    store().setSearch("pe");
    store().setSearch("person001");
    expect(store().searchInput).toBe("person001");
    expect(fake.callsOf("contacts_list")).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 10);
    expect(fake.callsOf("contacts_list")).toHaveLength(2);
    expect(queries(fake)[1]!.search).toBe("person001");
    vi.useRealTimers();
    await waitFor(() => expect(store().total).toBe(10));
  });

  it("sorts by a column, and flips the direction when chosen again", async () => {
    const fake = seeded(5);
    await store().reload();
    store().toggleSort("name");
    expect(store()).toMatchObject({ sort: "name", direction: "asc" });
    store().toggleSort("name");
    expect(store()).toMatchObject({ sort: "name", direction: "desc" });
    store().toggleSort("revenue");
    expect(store()).toMatchObject({ sort: "revenue", direction: "desc" });
    await waitFor(() => expect(store().status).toBe("ready"));
    expect(queries(fake).at(-1)).toMatchObject({ sort: "revenue", direction: "desc" });
  });

  it("clears every filter and the search box at once", async () => {
    seeded(10);
    store().setTag("vip");
    store().setSearch("x");
    expect(hasFilters(store().filters)).toBe(true);
    store().clearFilters();
    expect(store().searchInput).toBe("");
    expect(hasFilters(store().filters)).toBe(false);
    await waitFor(() => expect(store().total).toBe(10));
  });

  it("drops a page that arrives after the query changed", async () => {
    const fake = seeded(10);
    let release: () => void = () => {};
    fake.on("contacts_list", (args) => {
      const q = args.query as ContactListQuery;
      if (q.tag === null) return new Promise((r) => (release = () => r({ items: [], total: 999, nextCursor: null })));
      return { items: [], total: 3, nextCursor: null };
    });
    const first = store().reload();
    store().setTag("vip");
    await waitFor(() => expect(store().total).toBe(3));
    release();
    await first;
    expect(store().total).toBe(3);
  });

  it("keeps the rows it has and reports the error when a page fails", async () => {
    const fake = seeded(250);
    await store().reload();
    fake.on("contacts_list", () => {
      throw commandError("internal", "Something went wrong; details are in the log");
    });
    await store().loadMore();
    expect(store().status).toBe("error");
    expect(store().error).toBe("Something went wrong; details are in the log");
    expect(store().items).toHaveLength(PAGE_SIZE);
  });

  it("marks itself stale after a change elsewhere, and a reload clears that", async () => {
    seeded(3);
    await store().reload();
    store().invalidate();
    expect(store().stale).toBe(true);
    await store().reload();
    expect(store().stale).toBe(false);
  });
});
