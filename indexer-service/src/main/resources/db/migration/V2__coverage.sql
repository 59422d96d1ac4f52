-- What the Kafka cursor has no field for: per contract, which blocks are published, which are
-- still to catch up (contracts added after the indexer passed their start block), and live
-- counts per event. One row per cursor the indexer wrote, keyed by the SHA-256 of the cursor
-- record's bytes. A row is written BEFORE its Kafka transaction commits, so whatever cursor Kafka
-- holds as committed has its row here; rows of transactions that never committed are never read
-- and are pruned once a later cursor is known to be committed.
create table coverage_states (
    seq           bigserial   primary key,
    chain_id      bigint      not null check (chain_id > 0),
    cursor_digest text        not null check (cursor_digest ~ '^[0-9a-f]{64}$'),
    tip_number    bigint      not null check (tip_number >= 0),
    tip_hash      text        not null check (tip_hash ~ '^0x[0-9a-f]{64}$'),
    state         jsonb       not null,
    created_at    timestamptz not null default now(),
    unique (chain_id, cursor_digest)
);

-- Which indexer instance may publish for a chain. Each instance takes the next epoch when it
-- starts; a coverage row is only written under the current epoch, and an instance whose epoch is
-- no longer current stops instead of re-opening its producer (which would fence the newer one).
create table ingest_leases (
    chain_id    bigint      primary key check (chain_id > 0),
    epoch       bigint      not null check (epoch > 0),
    acquired_at timestamptz not null default now()
);
