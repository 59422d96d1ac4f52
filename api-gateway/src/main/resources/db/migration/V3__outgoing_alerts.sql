-- The emergency-burn service also warns about coins of a user's bound Bitcoin addresses being
-- spent by transactions not yet deep enough to count (OUTGOING_UNCONFIRMED) and when that is over
-- (OUTGOING_CLEARED). These alerts do not change the user's emergency-burn risk.
ALTER TABLE emergency_alerts DROP CONSTRAINT emergency_alerts_kind_check;
ALTER TABLE emergency_alerts ADD CONSTRAINT emergency_alerts_kind_check
    CHECK (kind IN ('AT_RISK', 'CLEARED', 'BURNED', 'OUTGOING_UNCONFIRMED', 'OUTGOING_CLEARED'));
ALTER TABLE emergency_alerts ADD COLUMN pending_spent_sats bigint CHECK (pending_spent_sats >= 0);

-- When the oracle last verified each user's balance: every bound address observed by a quorum of
-- Bitcoin sources as of one block, and the on-chain balance equal to their sum (whether or not a
-- sync was needed). From rbtc.oracle.btc-balances.v1 records with verified = true; a record older
-- than the row changes nothing.
CREATE TABLE balance_verifications (
    user_address   text        PRIMARY KEY CHECK (user_address ~ '^0x[0-9a-f]{40}$'),
    verified_at    timestamptz NOT NULL,
    btc_height     bigint      NOT NULL,
    btc_block_hash text        NOT NULL,
    verified_sats  bigint      NOT NULL CHECK (verified_sats >= 0)
);

-- The oracle's operator alerts (rbtc.oracle.alerts.v1): Bitcoin sources excluded or disagreeing,
-- transactions stuck at the fee cap. Append-only; the inbox deduplicates redeliveries.
CREATE TABLE oracle_alerts (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL,
    subject     text,
    message     text        NOT NULL,
    occurred_at timestamptz NOT NULL
);

CREATE INDEX oracle_alerts_recent_idx ON oracle_alerts (occurred_at DESC);
