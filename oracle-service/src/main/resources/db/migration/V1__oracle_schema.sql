-- Verified bindings of Bitcoin addresses to EVM addresses. One Bitcoin address belongs to at most
-- one EVM address: the UNIQUE constraint is the enforcement, inserts rely on it.
create table bitcoin_addresses (
    id                    bigserial    primary key,
    eth_address           text         not null check (eth_address ~ '^0x[0-9a-f]{40}$'),
    btc_address           text         not null,
    network               text         not null check (network in ('mainnet', 'testnet', 'signet', 'regtest')),
    signature_scheme      text         not null check (signature_scheme in ('BIP137', 'BIP322_SIMPLE')),
    signed_message        text         not null,
    signature             text         not null,
    message_timestamp     bigint       not null,
    verified_at           timestamptz  not null,
    monitoring_started_at timestamptz,
    is_monitoring         boolean      not null default true,
    created_at            timestamptz  not null default now(),
    -- Set once the BindingEvent was acknowledged by Kafka; null rows are re-published.
    published_at          timestamptz,
    constraint bitcoin_addresses_btc_address_key unique (btc_address)
);

create index bitcoin_addresses_monitored_idx on bitcoin_addresses (eth_address) where is_monitoring;
create index bitcoin_addresses_unpublished_idx on bitcoin_addresses (id) where published_at is null;

-- Every oracle operation step, written before and after it happens. Append-only.
create table oracle_operations_log (
    id             bigserial    primary key,
    operation_id   uuid         not null,
    eth_address    text         not null check (eth_address ~ '^0x[0-9a-f]{40}$'),
    status         text         not null check (status in ('PLANNED', 'SUBMITTED', 'CONFIRMED', 'REVERTED',
                                                           'FAILED', 'NEEDS_TOP_UP', 'SPLIT', 'SKIPPED',
                                                           'SOURCE_DISAGREEMENT', 'EMERGENCY_BURN')),
    previous_sats  bigint,
    target_sats    bigint,
    delta_sats     bigint,
    fee_wei        numeric(78, 0) check (fee_wei >= 0),
    tx_hash        text         check (tx_hash ~ '^0x[0-9a-f]{64}$'),
    nonce          bigint,
    detail         text,
    created_at     timestamptz  not null default now(),
    -- Set once the OracleOperation record was acknowledged by Kafka; null rows are re-published.
    published_at   timestamptz,
    constraint oracle_operations_submitted_has_tx check (status <> 'SUBMITTED' or (tx_hash is not null and nonce is not null))
);

create index oracle_operations_log_user_idx on oracle_operations_log (eth_address, id desc);
create index oracle_operations_log_tx_idx on oracle_operations_log (tx_hash) where tx_hash is not null;
create index oracle_operations_log_unpublished_idx on oracle_operations_log (id) where published_at is null;

-- Counts per status per UTC day, for dashboards.
create view oracle_operations_stats as
select (created_at at time zone 'UTC')::date as day,
       status,
       count(*)                             as operations
from oracle_operations_log
group by 1, 2;
