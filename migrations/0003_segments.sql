-- Herald workspace schema, part 3: saved segments.
--
-- A segment is a name and a filter (the JSON interchange format of
-- docs/segments.md). It is resolved at use time, never materialised: only
-- its count is cached, with the data generation it was computed at.

CREATE TABLE segments (
    id                BLOB PRIMARY KEY NOT NULL CHECK (length(id) = 16),
    name              TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    description       TEXT,
    filter            TEXT NOT NULL CHECK (json_valid(filter) AND json_type(filter) = 'object'),
    -- The last count, the data generation and the instant it was taken at.
    -- Stale when the generation has moved, or (for filters with relative
    -- dates) when it is older than a minute.
    cached_count      INTEGER,
    cached_generation INTEGER,
    cached_at         INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) STRICT;

-- Which segments a segment's filter refers to (`segment in/not_in` rules).
-- No cascade on `refers_to`: a segment another one uses cannot be deleted,
-- which the store explains before SQLite would refuse.
CREATE TABLE segment_refs (
    segment_id BLOB NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
    refers_to  BLOB NOT NULL REFERENCES segments (id),
    PRIMARY KEY (segment_id, refers_to)
) STRICT, WITHOUT ROWID;
CREATE INDEX segment_refs_by_target ON segment_refs (refers_to);
