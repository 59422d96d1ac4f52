-- Proof-of-reserves snapshots, one per Bitcoin tip at which every bound address was observed.
-- The leaf and node encoding ("rbtc-por-v1") is documented in the service README and implemented
-- by ReserveProofVerifier. Append-only.
create table proof_of_reserves (
    id                    bigserial      primary key,
    btc_height            bigint         not null check (btc_height >= 0),
    btc_tip_hash          text           not null check (btc_tip_hash ~ '^[0-9a-f]{64}$'),
    merkle_root           text           not null check (merkle_root ~ '^[0-9a-f]{64}$'),
    encoding              text           not null,
    leaf_count            integer        not null check (leaf_count > 0),
    total_confirmed_sats  bigint         not null check (total_confirmed_sats >= 0),
    -- rBTC-SYNTH totalSupply (8 decimals = sats), read on-chain at synth_block_number.
    synth_total_supply    numeric(78, 0) not null check (synth_total_supply >= 0),
    synth_block_number    bigint         not null,
    -- Percent with two decimals, truncated; 'n/a' when the supply is zero.
    backing_ratio         text           not null check (backing_ratio ~ '^([0-9]+\.[0-9]{2}|n/a)$'),
    min_confirmations     integer        not null,
    created_at            timestamptz    not null,
    -- Set once the ReserveAttestation was acknowledged by Kafka; null rows are re-published.
    published_at          timestamptz
);

create index proof_of_reserves_unpublished_idx on proof_of_reserves (id) where published_at is null;

-- The leaves of each snapshot in Merkle order. Leaves of old snapshots are pruned by retention
-- (rbtc.reserves.retained-leaf-snapshots); the snapshot row and its root stay.
create table proof_of_reserves_leaves (
    snapshot_id     bigint   not null references proof_of_reserves (id) on delete cascade,
    leaf_index      integer  not null check (leaf_index >= 0),
    eth_address     text     not null check (eth_address ~ '^0x[0-9a-f]{40}$'),
    btc_address     text     not null,
    script_pubkey   text     not null check (script_pubkey ~ '^([0-9a-f]{2})+$'),
    confirmed_sats  bigint   not null check (confirmed_sats >= 0),
    btc_height      bigint   not null,
    leaf_hash       text     not null check (leaf_hash ~ '^[0-9a-f]{64}$'),
    primary key (snapshot_id, leaf_index)
);

create index proof_of_reserves_leaves_user_idx on proof_of_reserves_leaves (snapshot_id, eth_address);
