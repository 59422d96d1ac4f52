-- The records of recent blocks, so that a reorg (or an operator rewind) can re-publish them as
-- retractions: one row per block the ingest pass went through near the head, keyed by block hash.
-- A row is written BEFORE the Kafka transaction that publishes its block commits. The committed
-- cursor in Kafka stays the truth: the window is the chain of rows reached from the cursor's tip
-- hash through parent hashes, so rows of transactions that never committed (other hashes at the
-- same heights, or heights above the committed tip) are never read, and a row written again for
-- the same hash is replaced. Rows are pruned once they are rbtc.indexer.rewind-history-blocks below
-- the committed window.
create table window_blocks (
    chain_id        bigint  not null check (chain_id > 0),
    block_hash      text    not null check (block_hash ~ '^0x[0-9a-f]{64}$'),
    block_number    bigint  not null check (block_number >= 0),
    parent_hash     text    not null check (parent_hash ~ '^0x[0-9a-f]{64}$'),
    block_timestamp bigint  not null check (block_timestamp >= 0),
    record_count    integer not null check (record_count >= 0),
    -- the block's records as published: per record the topic name and the single-object bytes
    records         bytea   not null,
    primary key (chain_id, block_hash)
);

create index window_blocks_by_number on window_blocks (chain_id, block_number);
