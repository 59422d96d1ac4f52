-- Contracts the indexer has been configured to index. The indexing cursor itself lives in Kafka,
-- committed atomically with the events, so it is deliberately not stored here.
create table deployments (
    chain_id    bigint      not null check (chain_id > 0),
    address     text        not null check (address ~ '^0x[0-9a-f]{40}$'),
    kind        text        not null check (kind in ('ORACLE_AGGREGATOR', 'RBTC_SYNTH', 'FEE_VAULT', 'VAULT_WRBTC', 'YIELD_POOL')),
    start_block bigint      not null check (start_block >= 0),
    first_seen  timestamptz not null default now(),
    last_seen   timestamptz not null default now(),
    primary key (chain_id, address)
);
