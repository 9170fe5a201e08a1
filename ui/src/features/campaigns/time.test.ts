import { epochToZoned, formatBytes, formatEta, zonedToEpoch } from "./time";

describe("workspace time", () => {
  it("reads a wall-clock time in the workspace's zone, summer and winter", () => {
    expect(zonedToEpoch("2025-07-01T09:30", "Europe/London")).toBe(Date.UTC(2025, 6, 1, 8, 30));
    expect(zonedToEpoch("2025-01-15T09:30", "Europe/London")).toBe(Date.UTC(2025, 0, 15, 9, 30));
    expect(zonedToEpoch("2025-01-15T09:30", "America/New_York")).toBe(Date.UTC(2025, 0, 15, 14, 30));
    expect(zonedToEpoch("2025-01-15T09:30", "Asia/Kolkata")).toBe(Date.UTC(2025, 0, 15, 4, 0));
    expect(zonedToEpoch("tomorrow", "UTC")).toBeNull();
  });

  it("shows an instant on the workspace's clocks", () => {
    expect(epochToZoned(Date.UTC(2025, 6, 1, 8, 30), "Europe/London")).toBe("2025-07-01T09:30");
    expect(epochToZoned(Date.UTC(2025, 0, 15, 23, 45), "Asia/Tokyo")).toBe("2025-01-16T08:45");
  });

  it("says how long is left and how big a file is", () => {
    expect(formatEta(null)).toBe("—");
    expect(formatEta(20)).toBe("under a minute");
    expect(formatEta(600)).toBe("about 10 min");
    expect(formatEta(4800)).toBe("about 1 h 20 min");
    expect(formatEta(7200)).toBe("about 2 h");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
});
