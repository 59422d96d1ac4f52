-- Projections of the emergency-burn service's alerts, the yield service's participant states and
-- the YieldScalesPool's BalanceDisputed logs. Like V1, every table can be rebuilt from the topics.

-- Every alert received, newest last. Alerts carry no identity of their own: the inbox id is a hash of
-- the record's bytes, so an alert the outbox relay published twice is stored once.
CREATE TABLE emergency_alerts (
    id                    bigserial   PRIMARY KEY,
    user_address          text        NOT NULL,
    kind                  text        NOT NULL CHECK (kind IN ('AT_RISK', 'CLEARED', 'BURNED')),
    rbtc_balance_sats     bigint,
    fee_vault_balance_wei numeric(79, 0),
    required_fee_wei      numeric(79, 0),
    -- the chain event that caused the alert
    event_id              text,
    message               text        NOT NULL,
    occurred_at           timestamptz NOT NULL,
    received_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX emergency_alerts_by_user ON emergency_alerts (user_address, id DESC);

-- Whether a user is at risk of an emergency burn: the latest AT_RISK / CLEARED alert in topic order
-- (BURNED notices do not change it; the burn's sync to 0 is followed by a CLEARED alert).
CREATE TABLE emergency_risk (
    user_address          text        PRIMARY KEY,
    at_risk               boolean     NOT NULL,
    rbtc_balance_sats     bigint,
    fee_vault_balance_wei numeric(79, 0),
    required_fee_wei      numeric(79, 0),
    event_id              text,
    message               text        NOT NULL,
    occurred_at           timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX emergency_risk_at_risk ON emergency_risk (user_address) WHERE at_risk;

-- The yield service's latest state of each participant (a snapshot; the latest record in topic order
-- wins). registered_on_chain distinguishes pool participants from holders the service only tracks.
CREATE TABLE yield_scales_participants (
    user_address        text        PRIMARY KEY,
    participant_type    integer     NOT NULL CHECK (participant_type IN (0, 1)),
    eligible            boolean     NOT NULL,
    registered_on_chain boolean     NOT NULL,
    -- the tier the yield service reported at updated_at; the read API derives the current tier from joined_at
    tier                text        NOT NULL CHECK (tier IN ('BRONZE', 'SILVER', 'GOLD')),
    contribution_sats   bigint      NOT NULL,
    accrued_yield       numeric(79, 0) NOT NULL,
    joined_at           timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    projected_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX yield_participants_registered ON yield_scales_participants (participant_type, joined_at)
    WHERE registered_on_chain;

-- One row per YieldScalesPool BalanceDisputed log; deleted again if the log is retracted.
CREATE TABLE balance_disputes (
    id               bigserial   PRIMARY KEY,
    chain_id         bigint      NOT NULL,
    tx_hash          text        NOT NULL,
    log_index        integer     NOT NULL,
    block_number     bigint      NOT NULL,
    block_hash       text        NOT NULL,
    block_timestamp  timestamptz NOT NULL,
    contract         text        NOT NULL,
    user_address     text        NOT NULL,
    reported_balance numeric(78, 0) NOT NULL,
    oracle_balance   numeric(78, 0) NOT NULL,
    finality         text        NOT NULL CHECK (finality IN ('PENDING', 'CONFIRMED', 'FINALIZED')),
    projected_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT balance_disputes_log_unique UNIQUE (chain_id, tx_hash, log_index)
);

CREATE INDEX balance_disputes_by_user ON balance_disputes (user_address, block_number DESC, log_index DESC);
CREATE INDEX balance_disputes_unsettled ON balance_disputes (chain_id, block_number) WHERE finality <> 'FINALIZED';
