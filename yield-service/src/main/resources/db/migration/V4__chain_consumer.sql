-- The service consumes the chain topics through the chain-consumer module, whose tables
-- (consumer_positions, chain_publications, chain_heights, dead_letter_replays, chain_outbox) are
-- migrated apart from these. This migration drops the service's former copies of that machinery
-- (the processed_events inbox, which deduplicated by content and so dropped an event that came
-- back in the block it was retracted from; chain_finality; the old outbox) and replaces the
-- tables derived from the chain topics with ones that are a function of the canonical events
-- alone. They start EMPTY: the chain-consumer finds no stored position after the upgrade and
-- reads every topic from offset 0, which rebuilds them (and publishes every participant's state
-- again). Rows of the old outbox not yet published are dropped; the rebuild publishes newer ones.
-- Kept: pool_contributions (what the pool holds, read from the chain), pending registrations
-- (moved to pool_registrations) and the audit rows of registrations and pool calls.

drop table processed_events;
drop table chain_finality;
drop table outbox;
drop table yield_pool_totals;

-- Registrations are this service's own work, not derived from topics: they survive the rebuild.
-- REGISTERED is not stored: a participant is registered when a ParticipantJoined event of it is
-- in the ledger.
create table pool_registrations (
    user_address text primary key check (user_address ~ '^0x[0-9a-f]{40}$'),
    -- PENDING: queued for joinAsBitcoinHolder; SUBMITTING: being sent; SUBMITTED: mined, the
    -- ParticipantJoined event not indexed yet; FAILED: given up (see error).
    status       text        not null check (status in ('PENDING', 'SUBMITTING', 'SUBMITTED', 'FAILED')),
    attempts     integer     not null default 0,
    tx_hash      text,
    error        text,
    queued_at    timestamptz not null default now(),
    updated_at   timestamptz not null default now()
);

create index pool_registrations_due_idx on pool_registrations (updated_at)
    where status in ('PENDING', 'SUBMITTING');

insert into pool_registrations (user_address, status, attempts, tx_hash, error, updated_at)
select user_address, registration_status, registration_attempts, registration_tx_hash,
       registration_error, updated_at
from yield_scales_participants
where registration_status in ('PENDING', 'SUBMITTING', 'SUBMITTED', 'FAILED');

-- Chain-derived audit rows are replaced by yield_ledger; rows of registrations and pool calls stay.
delete from yield_operations_log where event_id is not null;
drop index if exists yield_operations_event_idx;
drop index if exists yield_operations_unsettled_idx;
alter table yield_operations_log
    drop column event_id,
    drop column balance_before,
    drop column balance_after,
    drop column contribution_before,
    drop column contribution_after,
    drop column accrued_before,
    drop column accrued_after,
    drop column last_accrual_before,
    drop column joined_at_before,
    drop column type_before,
    drop column registered_before,
    drop column registration_status_before,
    drop column last_event_id_before,
    drop column rate_bps,
    drop column multiplier_pct,
    drop column elapsed_seconds,
    drop column amount,
    drop column chain_id,
    drop column block_number,
    drop column finality;

drop table yield_scales_participants;
drop table yield_scales_state;

-- One row per canonical chain event that concerns the pool (rBTC-SYNTH mints and burns, emergency
-- burns, the pool's joins, claims and disputes): inserted when the event is applied, moved when it
-- is found in another block, deleted when its block is orphaned. The columns after "computed"
-- are the participant's state after the event, folded over the user's events in chain order
-- (chain_id, block_number, log_index) with the pool rate in force just before the event
-- (rate_bps: from the supply of the chain's rBTC-SYNTH mints and burns before it, and its peak).
-- They are recomputed whenever an event before them changes, so the table depends only on which
-- events are canonical, never on the order they were consumed in. No finality is stored: it is
-- read from chain_heights by block number.
create table yield_ledger (
    -- Byte order ("C"), whatever the database's locale: folds start at a place chosen in Java by
    -- (chain, block, log index, event id) and read the ledger from there in SQL, so both must
    -- order event ids alike.
    event_id           text collate "C" primary key,
    chain_id           bigint         not null,
    block_number       bigint         not null,
    log_index          integer        not null,
    tx_hash            text           not null,
    block_hash         text           not null,
    block_time         timestamptz    not null,
    user_address       text           not null check (user_address ~ '^0x[0-9a-f]{40}$'),
    kind               text           not null check (kind in ('MINT', 'BURN', 'AGGREGATOR_BURN',
                                          'POOL_BURN', 'JOINED', 'CLAIMED', 'DISPUTED')),
    amount             numeric(78, 0) not null check (amount >= 0),
    participant_type   smallint,
    details            text,
    -- computed
    supply_after       bigint,
    peak_after         bigint,
    rate_bps           integer,
    participant        boolean,
    multiplier_pct     integer,
    elapsed_seconds    bigint,
    owed               numeric(78, 0),
    balance_after      bigint,
    contribution_after bigint,
    accrued_after      numeric(78, 0),
    last_accrual_after timestamptz,
    joined_at_after    timestamptz,
    type_after         smallint,
    registered_after   boolean
);

-- Chain order: (chain_id, block_number, log_index), then event_id, which only breaks ties a real
-- chain never has, so that the order is total.
create index yield_ledger_chain_idx on yield_ledger (chain_id, block_number, log_index, event_id);
create index yield_ledger_user_idx
    on yield_ledger (user_address, chain_id, block_number, log_index, event_id);
create index yield_ledger_supply_idx on yield_ledger (chain_id, block_number, log_index, event_id)
    where kind in ('MINT', 'BURN');

-- One row per user the pool knows or should know: the state after the user's last event in the
-- ledger. rbtc_balance_sats follows rBTC-SYNTH mints and burns; contribution_sats is the yield base
-- (a holder's balance, zero after an aggregator emergency burn until the next token change; a
-- trader's virtual USDT). Times are block times. state_block_number is the newest block behind the
-- state; its finality is read from chain_heights.
create table yield_scales_participants (
    user_address        text primary key check (user_address ~ '^0x[0-9a-f]{40}$'),
    participant_type    smallint       not null check (participant_type in (0, 1)),
    rbtc_balance_sats   bigint         not null,
    contribution_sats   bigint         not null check (contribution_sats >= 0),
    eligible            boolean        not null,
    registered_on_chain boolean        not null,
    joined_at           timestamptz    not null,
    last_accrual_at     timestamptz    not null,
    accrued_yield       numeric(78, 0) not null check (accrued_yield >= 0),
    last_event_id       text           not null,
    last_event_at       timestamptz    not null,
    chain_id            bigint         not null,
    state_block_number  bigint         not null
);

create index yield_participants_eligible_idx on yield_scales_participants (user_address)
    where eligible and participant_type = 0 and not registered_on_chain;

-- The pool contract's own YieldCalculated / ScalesBalanceUpdated events, one row per canonical log.
create table yield_scales_state (
    event_id           text primary key,
    kind               text           not null check (kind in ('YIELD_CALCULATED', 'SCALES_BALANCE_UPDATED')),
    total_usdt_virtual numeric(78, 0),
    total_rbtc_supply  numeric(78, 0),
    current_yield_rate numeric(78, 0),
    usdt_scale         numeric(78, 0),
    rbtc_scale         numeric(78, 0),
    scale_timestamp    numeric(78, 0),
    chain_id           bigint         not null,
    block_number       bigint         not null,
    block_hash         text           not null,
    block_timestamp    timestamptz    not null
);
