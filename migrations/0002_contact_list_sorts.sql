-- Herald workspace schema, part 2: indexes for the contact list's sort orders.
--
-- The desktop contact table pages through contacts with keyset pagination on
-- (sort key, id): "the next 100 after this key and id". Each sort order needs
-- an index on exactly (key, id) so a page is one index range seek, however
-- deep into 100k contacts it is, including through long runs of equal keys
-- (thousands of contacts in one country, or with no revenue).
--
-- The single-column indexes of 0001 on country, created_at,
-- last_interaction_at and revenue_minor become (column, id): they still serve
-- every filter the old ones served, and the import writes no more indexes
-- than before. Name and company are new. Email needs none: its UNIQUE index
-- already orders it.

DROP INDEX contacts_country;
CREATE INDEX contacts_country ON contacts (country, id);
DROP INDEX contacts_created_at;
CREATE INDEX contacts_created_at ON contacts (created_at, id);
DROP INDEX contacts_last_interaction_at;
CREATE INDEX contacts_last_interaction_at ON contacts (last_interaction_at, id);
DROP INDEX contacts_revenue;
CREATE INDEX contacts_revenue ON contacts (revenue_minor, id);

-- "Name" sorts by last name, then first name; a contact with no name sorts by
-- its email, else its phone. The expression must match the one in
-- crates/store/src/contacts/page.rs character for character, or SQLite will
-- not use this index.
CREATE INDEX contacts_name_sort ON contacts (
    lower(coalesce(last_name || ' ' || first_name, last_name, first_name, email, phone)), id
);
CREATE INDEX contacts_company_sort ON contacts (lower(company), id);
