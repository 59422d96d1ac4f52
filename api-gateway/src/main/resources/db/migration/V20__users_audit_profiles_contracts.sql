-- The data the product keeps about its users and its deployments, beside the read models of V1-V6.

-- One row per EVM address the gateway has seen: in a chain log (as the user or the other party of
-- a wrBTC transfer) or in a Bitcoin address binding. Derived, like the other read models: the
-- projection recomputes the rows of the users a batch touches from transactions,
-- bitcoin_addresses and emergency_risk in the batch's transaction, so a retracted log leaves
-- first/last seen and the state as if it had never been applied, and a user whose every log was
-- retracted (and who has no binding) has no row.
CREATE TABLE users (
    user_address    text        PRIMARY KEY CHECK (user_address ~ '^0x[0-9a-f]{40}$'),
    -- block time of the first / latest log of the user, or the binding's time if earlier / later
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    -- highest block of a log of the user (null when only a binding was seen)
    last_seen_block bigint,
    -- the Bitcoin addresses bound and monitored now, sorted
    bound_addresses text[]      NOT NULL,
    -- AT_RISK (of an emergency burn), BOUND (a monitored Bitcoin address), SEEN (neither)
    state           text        NOT NULL CHECK (state IN ('AT_RISK', 'BOUND', 'SEEN')),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_by_state ON users (state, last_seen_at DESC);

-- Every state change of a user's records, before -> after (JSON of the row; null before a row
-- existed or after it was removed), with who or what caused it: the projection (cause = the
-- consumed record: topic, partition and offset) or an operator (actor = the operator, cause = the
-- action). Profile changes name the changed fields and the key id, never their values.
CREATE TABLE user_audit (
    id           bigserial   PRIMARY KEY,
    user_address text        NOT NULL,
    record       text        NOT NULL CHECK (record IN ('user', 'profile')),
    actor        text        NOT NULL,
    cause        text        NOT NULL,
    before       jsonb,
    after        jsonb,
    changed_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX user_audit_by_user ON user_audit (user_address, id DESC);

-- The users the read models already know when this migration runs (the projection keeps them
-- from here on), each with an audit entry naming the migration.
INSERT INTO users (user_address, first_seen_at, last_seen_at, last_seen_block, bound_addresses,
                   state)
SELECT s.u, min(s.first_at), max(s.last_at), max(s.block),
       coalesce((SELECT array_agg(b.bitcoin_address ORDER BY b.bitcoin_address)
                 FROM bitcoin_addresses b WHERE b.eth_address = s.u AND b.is_monitoring), '{}'),
       CASE WHEN EXISTS (SELECT 1 FROM emergency_risk r WHERE r.user_address = s.u AND r.at_risk)
                THEN 'AT_RISK'
            WHEN EXISTS (SELECT 1 FROM bitcoin_addresses b
                         WHERE b.eth_address = s.u AND b.is_monitoring) THEN 'BOUND'
            ELSE 'SEEN' END
FROM (
    SELECT user_address AS u, block_timestamp AS first_at, block_timestamp AS last_at,
           block_number AS block
    FROM transactions WHERE listed
    UNION ALL
    SELECT counterparty, block_timestamp, block_timestamp, block_number
    FROM transactions WHERE listed AND counterparty IS NOT NULL
    UNION ALL
    SELECT eth_address, created_at,
           greatest(created_at, verified_at, to_timestamp(event_millis / 1000.0)), NULL
    FROM bitcoin_addresses
) s
WHERE s.u ~ '^0x[0-9a-f]{40}$'
GROUP BY s.u;

INSERT INTO user_audit (user_address, record, actor, cause, before, after)
SELECT user_address, 'user', 'migration', 'V20: users of the existing read models', NULL,
       to_jsonb(u) - 'updated_at'
FROM users u ORDER BY user_address;

-- What operators keep about a user privately (contact, notes): AES-256-GCM ciphertext of a JSON
-- object, encrypted by the gateway under the key key_id (the key itself is never stored here); the
-- address is the associated data, so a ciphertext copied to another user's row does not decrypt.
CREATE TABLE user_profiles (
    user_address text        PRIMARY KEY CHECK (user_address ~ '^0x[0-9a-f]{40}$'),
    key_id       text        NOT NULL,
    nonce        bytea       NOT NULL CHECK (length(nonce) = 12),
    ciphertext   bytea       NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text        NOT NULL
);

CREATE INDEX user_profiles_by_key ON user_profiles (key_id);

-- Every contract deployment the system indexes, as configured (rbtc.contracts.*): registered at
-- start, never deleted, so earlier deployments stay listed after a redeployment.
CREATE TABLE system_contracts (
    chain_id           bigint      NOT NULL,
    address            text        NOT NULL CHECK (address ~ '^0x[0-9a-f]{40}$'),
    name               text        NOT NULL,
    start_block        bigint      NOT NULL CHECK (start_block >= 0),
    version            text        NOT NULL,
    first_registered_at timestamptz NOT NULL DEFAULT now(),
    last_registered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (chain_id, address)
);

-- A user's current state in one row: balances, bound addresses, the oracle's sync state, the risk
-- of an emergency burn, yield and the last activity.
CREATE VIEW user_current_state AS
SELECT u.user_address,
       u.state,
       u.bound_addresses,
       u.first_seen_at,
       u.last_seen_at                      AS last_activity_at,
       u.last_seen_block,
       coalesce(b.rbtc_sats, 0)            AS rbtc_sats,
       coalesce(b.wrbtc, 0)                AS wrbtc,
       coalesce(b.fee_vault_wei, 0)        AS fee_vault_wei,
       s.last_status                       AS sync_status,
       s.last_operation_at                 AS last_sync_operation_at,
       s.last_confirmed_at                 AS last_sync_confirmed_at,
       v.verified_at                       AS last_verified_at,
       coalesce(r.at_risk, false)          AS at_risk,
       r.required_fee_wei                  AS risk_required_fee_wei,
       y.tier                              AS yield_tier,
       y.accrued_yield                     AS yield_accrued,
       coalesce(y.registered_on_chain, false) AS yield_registered
FROM users u
LEFT JOIN balances b ON b.user_address = u.user_address
LEFT JOIN sync_status s ON s.user_address = u.user_address
LEFT JOIN balance_verifications v ON v.user_address = u.user_address
LEFT JOIN emergency_risk r ON r.user_address = u.user_address
LEFT JOIN yield_scales_participants y ON y.user_address = u.user_address;
