-- Read models of the api-gateway, built from the product's Kafka topics. Every table here is a
-- projection: it can be rebuilt by replaying the topics into an empty schema.

-- Inbox: one row per applied record, written in the same transaction as the record's effect, so a
-- redelivered record changes nothing. Chain events are keyed by <chainId:txHash:logIndex>@<blockHash>
-- (and ...:retracted for their retraction), so a log re-mined in another block after a reorg is
-- applied again instead of being mistaken for a duplicate.
CREATE TABLE processed_events (
    event_id     text        PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- One row per chain log that concerns a user. The row of a retracted log is deleted.
CREATE TABLE transactions (
    id                bigserial   PRIMARY KEY,
    chain_id          bigint      NOT NULL,
    tx_hash           text        NOT NULL,
    log_index         integer     NOT NULL,
    block_number      bigint      NOT NULL,
    block_hash        text        NOT NULL,
    block_timestamp   timestamptz NOT NULL,
    contract          text        NOT NULL,
    event_name        text        NOT NULL,
    token             text,
    user_address      text        NOT NULL,
    -- the other party of a wrBTC transfer (the recipient when user_address is the sender)
    counterparty      text,
    tx_type           text        NOT NULL,
    amount            numeric(78, 0) NOT NULL CHECK (amount >= 0),
    -- signed change of the user's balance of the row's token, in base units
    delta             numeric(79, 0) NOT NULL,
    fee_wei           numeric(78, 0) NOT NULL DEFAULT 0,
    -- Synced only: the oracle's attested balance after this sync
    new_balance_sats  bigint,
    bitcoin_address   text,
    finality          text        NOT NULL CHECK (finality IN ('PENDING', 'CONFIRMED', 'FINALIZED')),
    status            text        GENERATED ALWAYS AS
                          (CASE WHEN finality = 'PENDING' THEN 'pending' ELSE 'confirmed' END) STORED,
    is_emergency_burn boolean     NOT NULL DEFAULT false,
    -- false for logs whose movement another row of the same transaction already shows
    -- (e.g. the rBTC-SYNTH Transfer and FeeVault Spent of a sync, shown by its Synced row)
    listed            boolean     NOT NULL,
    reason            text,
    source            text,
    spent_by          text,
    projected_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT transactions_log_unique UNIQUE (chain_id, tx_hash, log_index)
);

CREATE INDEX transactions_by_user ON transactions (user_address, block_number DESC, log_index DESC) WHERE listed;
CREATE INDEX transactions_by_counterparty ON transactions (counterparty, block_number DESC, log_index DESC)
    WHERE listed AND counterparty IS NOT NULL;
CREATE INDEX transactions_latest_synced ON transactions (user_address, block_number DESC, log_index DESC)
    WHERE event_name = 'Synced';
CREATE INDEX transactions_unsettled ON transactions (chain_id, block_number) WHERE finality <> 'FINALIZED';
CREATE INDEX transactions_by_tx ON transactions (chain_id, tx_hash);
CREATE INDEX transactions_emergency ON transactions (user_address) WHERE is_emergency_burn;

-- Current balances per user.
CREATE TABLE balances (
    user_address         text        PRIMARY KEY,
    -- newBalanceSats of the user's latest Synced event (block, log order): OracleAggregator.lastSats
    rbtc_sats            bigint      NOT NULL DEFAULT 0,
    rbtc_block_number    bigint,
    rbtc_log_index       integer,
    rbtc_block_timestamp timestamptz,
    -- sum of the user's wrBTC Transfer logs
    wrbtc                numeric(79, 0) NOT NULL DEFAULT 0,
    -- sum of the user's FeeVault Deposited, Spent and Withdrawn logs
    fee_vault_wei        numeric(79, 0) NOT NULL DEFAULT 0,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- One row per balance change caused by a chain log; deleted again if the log is retracted.
CREATE TABLE balance_history (
    id              bigserial   PRIMARY KEY,
    user_address    text        NOT NULL,
    asset           text        NOT NULL CHECK (asset IN ('RBTC', 'WRBTC', 'FEE_VAULT_WEI')),
    event_id        text        NOT NULL,
    block_hash      text        NOT NULL,
    block_number    bigint      NOT NULL,
    log_index       integer     NOT NULL,
    block_timestamp timestamptz NOT NULL,
    delta           numeric(79, 0) NOT NULL,
    balance_after   numeric(79, 0) NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT balance_history_unique UNIQUE (event_id, user_address, asset)
);

CREATE INDEX balance_history_by_user ON balance_history (user_address, block_number DESC, log_index DESC);

-- Daily per-user snapshot of balances; rows older than the retention period are deleted.
CREATE TABLE balance_snapshots (
    user_address  text        NOT NULL,
    snapshot_date date        NOT NULL,
    rbtc_sats     bigint      NOT NULL,
    wrbtc         numeric(79, 0) NOT NULL,
    fee_vault_wei numeric(79, 0) NOT NULL,
    block_number  bigint,
    taken_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_address, snapshot_date)
);

CREATE INDEX balance_snapshots_by_date ON balance_snapshots (snapshot_date);

-- Verified Bitcoin addresses per EVM address; a Bitcoin address belongs to one EVM address at a time.
CREATE TABLE bitcoin_addresses (
    id                    bigserial   PRIMARY KEY,
    eth_address           text        NOT NULL,
    bitcoin_address       text        NOT NULL UNIQUE,
    network               text        NOT NULL,
    signature_scheme      text,
    verified_at           timestamptz,
    monitoring_started_at timestamptz,
    is_monitoring         boolean     NOT NULL,
    created_at            timestamptz NOT NULL,
    -- occurredAtMillis of the binding event last applied, so an older event never overwrites a newer one
    event_millis          bigint      NOT NULL
);

CREATE INDEX bitcoin_addresses_by_eth ON bitcoin_addresses (eth_address);

-- The oracle's latest operation per user.
CREATE TABLE sync_status (
    user_address        text        PRIMARY KEY,
    last_operation_id   text        NOT NULL,
    last_status         text        NOT NULL,
    last_operation_at   timestamptz NOT NULL,
    last_tx_hash        text,
    last_detail         text,
    last_confirmed_at   timestamptz,
    last_confirmed_sats bigint,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Highest head, confirmed and finalized block per chain, from rbtc.chain.blocks markers.
CREATE TABLE chain_heads (
    chain_id        bigint      PRIMARY KEY,
    head_block      bigint,
    confirmed_block bigint,
    finalized_block bigint,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Proof-of-reserves attestations published by the oracle.
CREATE TABLE proof_of_reserves (
    id                   bigserial   PRIMARY KEY,
    btc_height           bigint      NOT NULL,
    btc_tip_hash         text        NOT NULL,
    merkle_root          text        NOT NULL,
    leaf_count           integer     NOT NULL,
    total_confirmed_sats bigint      NOT NULL,
    synth_total_supply   numeric(78, 0) NOT NULL,
    backing_ratio        text        NOT NULL,
    created_at           timestamptz NOT NULL,
    CONSTRAINT proof_of_reserves_unique UNIQUE (btc_tip_hash, merkle_root, created_at)
);
