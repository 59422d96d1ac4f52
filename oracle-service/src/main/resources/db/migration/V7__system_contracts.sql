-- The addresses this oracle works with and signs as, one row per (role, address): the aggregator it
-- syncs, the committee key it sends from, and the proof-of-reserves attestation key users verify
-- against. Rows are never removed: a rotated key keeps its row (first and last seen), so every
-- address that ever signed an attestation stays listed.
create table system_contracts (
    name           text        not null check (name in ('oracle_aggregator', 'committee',
                                                        'reserves_attestation_signer')),
    address        text        not null check (address ~ '^0x[0-9a-f]{40}$'),
    chain_id       bigint      not null,
    first_seen_at  timestamptz not null,
    last_seen_at   timestamptz not null,
    primary key (name, address, chain_id)
);
