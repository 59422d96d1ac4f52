-- Inbox: one row per applied chain event (event id) and per applied retraction
-- (<event id>:retracted), written in the same transaction as the effect.
create table processed_events (
    event_id     text primary key,
    topic        text        not null,
    block_hash   text        not null,
    processed_at timestamptz not null default now()
);

-- One row per emergency-burn log (OracleAggregator EmergencyBurn or YieldScalesPool
-- EmergencyBurnTriggered). A retraction deletes the row.
create table emergency_burns (
    id                 bigserial primary key,
    event_id           text        not null unique,
    user_address       text        not null check (user_address ~ '^0x[0-9a-f]{40}$'),
    source             text        not null check (source in ('ORACLE_AGGREGATOR', 'YIELD_POOL')),
    burned_amount_sats bigint      not null check (burned_amount_sats >= 0),
    reason             text        not null,
    chain_id           bigint      not null,
    contract_address   text        not null,
    tx_hash            text        not null,
    log_index          integer     not null,
    block_number       bigint      not null,
    block_hash         text        not null,
    block_timestamp    timestamptz not null,
    finality           text        not null check (finality in ('PENDING', 'CONFIRMED', 'FINALIZED')),
    created_at         timestamptz not null default now()
);

create index emergency_burns_user_idx on emergency_burns (user_address, block_number desc, log_index desc);

-- Per user. Token burns (OracleAggregator) are what the user lost; a YieldScalesPool burn only
-- removes the same sats from the user's yield contribution, so it is counted apart and not added
-- to the burned total.
create view emergency_burn_summary as
select user_address,
       count(*) filter (where source = 'ORACLE_AGGREGATOR')                              as burn_count,
       coalesce(sum(burned_amount_sats) filter (where source = 'ORACLE_AGGREGATOR'), 0) as total_burned_sats,
       count(*) filter (where source = 'YIELD_POOL')                                     as pool_burn_count,
       max(block_timestamp)                                                              as last_burn_at,
       max(block_number)                                                                 as last_burn_block
from emergency_burns
group by user_address;

-- What the at-risk rule needs per user: rBTC balance (from Synced) and fee-vault balance
-- (Deposited - Spent - Withdrawn), plus the state last announced.
create table user_risk (
    user_address          text primary key check (user_address ~ '^0x[0-9a-f]{40}$'),
    rbtc_balance_sats     bigint         not null default 0,
    fee_vault_balance_wei numeric(78, 0) not null default 0,
    at_risk               boolean        not null default false,
    last_event_id         text,
    updated_at            timestamptz    not null default now()
);

-- Alerts to publish, written in the transaction that decided them.
create table outbox (
    id           bigserial primary key,
    topic        text        not null,
    message_key  text        not null,
    payload      bytea       not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);

create index outbox_pending_idx on outbox (id) where published_at is null;
