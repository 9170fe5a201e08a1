import { FakeBackend } from "../../test/fakeBackend";
import {
  segmentsCheck,
  segmentsCount,
  segmentsCreate,
  segmentsCustomFields,
  segmentsDelete,
  segmentsDuplicate,
  segmentsGet,
  segmentsList,
  segmentsPreview,
  segmentsUpdate,
} from "./segments";

// Every wrapper sends the command name and camelCase argument names of docs/ipc.md.
describe("segment command wrappers", () => {
  it("name each command and its arguments as the contract does", async () => {
    const fake = new FakeBackend().install();
    for (const cmd of ["segments_list", "segments_get", "segments_create", "segments_update", "segments_duplicate", "segments_delete", "segments_check", "segments_preview", "segments_count", "segments_custom_fields"]) {
      fake.on(cmd, () => null);
    }
    const filter = { all: [{ field: "tag", op: "has_any", value: ["vip"] }] };
    const input = { name: "VIPs", description: "", filter };
    const query = { filter, sort: "name", direction: "asc", after: null, limit: 50, ticket: 7 } as const;
    await segmentsList();
    await segmentsGet("s1");
    await segmentsCreate(input);
    await segmentsUpdate("s1", input);
    await segmentsDuplicate("s1");
    await segmentsDelete("s1");
    await segmentsCheck(filter);
    await segmentsCheck(filter, "s1");
    await segmentsPreview(query);
    await segmentsCount("s1");
    await segmentsCustomFields();
    expect(fake.calls.map((c) => [c.cmd, c.args])).toEqual([
      ["segments_list", {}],
      ["segments_get", { id: "s1" }],
      ["segments_create", { input }],
      ["segments_update", { id: "s1", input }],
      ["segments_duplicate", { id: "s1" }],
      ["segments_delete", { id: "s1" }],
      ["segments_check", { filter, editing: null }],
      ["segments_check", { filter, editing: "s1" }],
      ["segments_preview", { query }],
      ["segments_count", { id: "s1" }],
      ["segments_custom_fields", {}],
    ]);
  });
});
