-- Inbox: one row per applied chain event (event id) and per applied retraction
-- (<event id>:retracted), written in the same transaction as the effect.
create table processed_events (
    event_id     text primary key,
    topic        text        not null,
    block_hash   text        not null,
    processed_at timestamptz not null default now()
);

-- One row per user the pool knows or should know. rbtc_balance_sats follows rBTC-SYNTH mints and
-- burns; contribution_sats is the yield base (the balance, less emergency burns of the pool; a
-- trader's virtual USDT). Times are block timestamps.
create table yield_scales_participants (
    user_address          text primary key check (user_address ~ '^0x[0-9a-f]{40}$'),
    participant_type      smallint       not null default 0 check (participant_type in (0, 1)),
    rbtc_balance_sats     bigint         not null default 0,
    contribution_sats     bigint         not null default 0 check (contribution_sats >= 0),
    eligible              boolean        not null default false,
    registered_on_chain   boolean        not null default false,
    -- OFF_CHAIN: tracked here only; PENDING/SUBMITTING/SUBMITTED: joinAsBitcoinHolder queued, being
    -- sent, mined; FAILED: gave up (see registration_error); REGISTERED: ParticipantJoined seen.
    registration_status   text           not null default 'OFF_CHAIN'
        check (registration_status in ('OFF_CHAIN', 'PENDING', 'SUBMITTING', 'SUBMITTED', 'FAILED', 'REGISTERED')),
    registration_attempts integer        not null default 0,
    registration_tx_hash  text,
    registration_error    text,
    joined_at             timestamptz    not null,
    last_accrual_at       timestamptz    not null,
    accrued_yield         numeric(78, 0) not null default 0 check (accrued_yield >= 0),
    last_event_id         text,
    created_at            timestamptz    not null default now(),
    updated_at            timestamptz    not null default now()
);

create index yield_participants_registration_idx on yield_scales_participants (registration_status)
    where registration_status in ('PENDING', 'SUBMITTING');

-- Pool-wide supply as seen from token events (single row).
create table yield_pool_totals (
    id                smallint primary key check (id = 1),
    total_supply_sats bigint      not null,
    peak_supply_sats  bigint      not null check (peak_supply_sats >= 0),
    updated_at        timestamptz not null default now()
);

insert into yield_pool_totals (id, total_supply_sats, peak_supply_sats) values (1, 0, 0);

-- The pool contract's own YieldCalculated / ScalesBalanceUpdated events, one row per log.
create table yield_scales_state (
    id                 bigserial primary key,
    event_id           text           not null unique,
    kind               text           not null check (kind in ('YIELD_CALCULATED', 'SCALES_BALANCE_UPDATED')),
    total_usdt_virtual numeric(78, 0),
    total_rbtc_supply  numeric(78, 0),
    current_yield_rate numeric(78, 0),
    usdt_scale         numeric(78, 0),
    rbtc_scale         numeric(78, 0),
    scale_timestamp    numeric(78, 0),
    block_number       bigint         not null,
    block_hash         text           not null,
    block_timestamp    timestamptz    not null,
    created_at         timestamptz    not null default now()
);

-- Audit trail: every change of a participant, with the state before it so that a retraction of
-- the participant's latest change can restore it exactly.
create table yield_operations_log (
    id                  bigserial primary key,
    user_address        text           not null,
    operation           text           not null,
    event_id            text,
    balance_before      bigint,
    balance_after       bigint,
    contribution_before bigint,
    contribution_after  bigint,
    accrued_before      numeric(78, 0),
    accrued_after       numeric(78, 0),
    last_accrual_before timestamptz,
    joined_at_before    timestamptz,
    type_before         smallint,
    registered_before   boolean,
    registration_status_before text,
    last_event_id_before text,
    rate_bps            numeric(78, 0),
    multiplier_pct      integer,
    elapsed_seconds     bigint,
    amount              numeric(78, 0),
    details             text,
    occurred_at         timestamptz    not null,
    created_at          timestamptz    not null default now()
);

create index yield_operations_user_idx on yield_operations_log (user_address, id);
create index yield_operations_event_idx on yield_operations_log (event_id);

-- Participant states to publish, written in the transaction that changed them.
create table outbox (
    id           bigserial primary key,
    topic        text        not null,
    message_key  text        not null,
    payload      bytea       not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);

create index outbox_pending_idx on outbox (id) where published_at is null;
