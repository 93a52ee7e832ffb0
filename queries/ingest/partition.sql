-- name: partition_create
-- The rows of a table-shaped source, held on disk while the import runs (ingest/partition.py): each row's
-- sheet (the reader's number for the file or sheet), line, cells, its own child, the record it needs in
-- its batch (`via_name`, `via`), and the batch it goes in once assigned.  `keys`: the ids by which other
-- rows find a row (an event by its event_id, a plan by its plan id), with that row's `seq`.
-- A row's cells are `joined` (one text, partition.SEPARATOR between cells: four times quicker to write
-- than a list), or `cells` when a cell holds the separator itself.
CREATE TABLE rows (seq BIGINT, sheet INTEGER, line BIGINT, child VARCHAR, via_name VARCHAR, via VARCHAR,
                   joined VARCHAR, cells VARCHAR[], batch BIGINT);
CREATE TABLE keys (name VARCHAR, id VARCHAR, seq BIGINT);

-- name: partition_insert_rows
INSERT INTO rows SELECT seq, sheet, line, child, via_name, via, joined, cells, NULL FROM staged;

-- name: partition_insert_keys
INSERT INTO keys SELECT name, id, seq FROM staged;

-- name: partition_number_children
-- Children in the order the source first names them, $size to a batch.
CREATE TABLE child_batch AS
SELECT child, (row_number() OVER (ORDER BY first_seq) - 1) // $size AS batch
FROM (SELECT child, min(seq) AS first_seq FROM rows WHERE child IS NOT NULL GROUP BY child);

-- name: partition_batch_children
UPDATE rows SET batch = c.batch FROM child_batch c WHERE rows.child = c.child;

-- name: partition_follow_references
-- A row that needs another record (an attendance row its event, an action its plan) goes in that record's
-- batch when it is later than its own: the record is then written before or with it, as in one batch.
-- Run once per link of the longest chain (an attendance row's event may itself have followed its plan).
UPDATE rows SET batch = r.batch
FROM (SELECT k.name, k.id, max(t.batch) AS batch FROM keys k JOIN rows t ON t.seq = k.seq
      WHERE t.batch IS NOT NULL GROUP BY k.name, k.id) r
WHERE rows.via_name = r.name AND rows.via = r.id AND (rows.batch IS NULL OR rows.batch < r.batch);

-- name: partition_orphans
-- Rows of no child (a blank child id, a reference to no record of the source) go in the last batch, after
-- every record they might name: the writer judges them against the store, as against one batch.
UPDATE rows SET batch = (SELECT coalesce(max(batch), 0) FROM rows) WHERE batch IS NULL;

-- name: partition_rows_in_batches
SELECT batch, sheet, line, joined, cells FROM rows ORDER BY batch, seq;
