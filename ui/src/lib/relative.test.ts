import { formatRelative } from "./relative";

describe("relative time", () => {
  const now = Date.parse("2025-06-15T12:00:00Z");
  it("says how long ago, in the largest unit that fits", () => {
    expect(formatRelative("2025-06-15T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2025-06-15T11:58:00Z", now)).toBe("2 minutes ago");
    expect(formatRelative("2025-06-15T11:59:00Z", now)).toBe("1 minute ago");
    expect(formatRelative("2025-06-15T11:59:10Z", now)).toBe("1 minute ago");
    expect(formatRelative("2025-06-15T09:00:00Z", now)).toBe("3 hours ago");
    expect(formatRelative("2025-06-14T10:00:00Z", now)).toBe("yesterday");
    expect(formatRelative("2025-06-01T12:00:00Z", now)).toBe("2 weeks ago");
    expect(formatRelative("2025-03-01T12:00:00Z", now)).toBe("3 months ago");
    expect(formatRelative("2023-06-01T12:00:00Z", now)).toBe("2 years ago");
  });

  it("has a dash for no date or a bad one", () => {
    expect(formatRelative(null, now)).toBe("—");
    expect(formatRelative("soon", now)).toBe("—");
  });
});
