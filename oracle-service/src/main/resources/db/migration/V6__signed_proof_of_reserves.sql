-- rbtc-por-v2: each snapshot is a signed statement over a Merkle-sum tree of salted per-user leaves,
-- chained to the previous statement by its SHA-256 (oracle-service README, "Proof of reserves").
-- v1 rows (unsigned, per-address leaves) stay as they were; their leaves table is no longer written.
alter table proof_of_reserves
    add column sequence       bigint unique check (sequence >= 1),
    add column previous_hash  text check (previous_hash ~ '^[0-9a-f]{64}$'),
    -- the exact signed text; every figure of the snapshot is in it
    add column statement      text,
    add column statement_hash text unique check (statement_hash ~ '^[0-9a-f]{64}$'),
    add column signature      text check (signature ~ '^0x[0-9a-f]{130}$'),
    add column signer         text check (signer ~ '^0x[0-9a-f]{40}$');

alter table proof_of_reserves add constraint proof_of_reserves_v2_signed check (
    encoding = 'rbtc-por-v1'
    or (sequence is not null and previous_hash is not null and statement is not null
        and statement_hash is not null and signature is not null and signer is not null));

-- A signed snapshot is never changed or removed: only its publication time is set once.
create function proof_of_reserves_append_only() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'proof_of_reserves is append-only: snapshot % cannot be deleted', old.id;
    end if;
    if (to_jsonb(new) - 'published_at') is distinct from (to_jsonb(old) - 'published_at')
       or (old.published_at is not null and new.published_at is distinct from old.published_at) then
        raise exception 'proof_of_reserves is append-only: snapshot % cannot be changed', old.id;
    end if;
    return new;
end $$;

create trigger proof_of_reserves_append_only
    before update or delete on proof_of_reserves
    for each row execute function proof_of_reserves_append_only();

-- One leaf per EVM address with at least one bound address, in leaf order (ascending leaf hash).
-- Operator-only: the salts and the addresses never leave the service except to their owner (the
-- proof endpoint) and in the operator export. Pruned by retention like the v1 leaves.
create table proof_of_reserves_accounts (
    snapshot_id  bigint  not null references proof_of_reserves (id),
    leaf_index   integer not null check (leaf_index >= 0),
    eth_address  text    not null check (eth_address ~ '^0x[0-9a-f]{40}$'),
    salt         text    not null check (salt ~ '^[0-9a-f]{64}$'),
    sum_sats     bigint  not null check (sum_sats >= 0),
    leaf_hash    text    not null check (leaf_hash ~ '^[0-9a-f]{64}$'),
    -- [{"btcAddress","scriptPubKey","sats"}, ...] in ascending scriptPubKey order
    addresses    jsonb   not null,
    primary key (snapshot_id, leaf_index),
    unique (snapshot_id, eth_address)
);
