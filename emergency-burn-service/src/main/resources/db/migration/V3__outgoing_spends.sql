-- Coins of a user's bound Bitcoin addresses being spent by transactions not yet confirmed deep
-- enough to count (the oracle's observations, rbtc.oracle.btc-balances.v1): what was last
-- announced, so OUTGOING_UNCONFIRMED / OUTGOING_CLEARED alerts go out once per change. An
-- observation older than pending_observed_at changes nothing (a redelivery or a stale record).
alter table user_risk
    add column pending_spent_sats    bigint      not null default 0 check (pending_spent_sats >= 0),
    add column pending_received_sats bigint      not null default 0 check (pending_received_sats >= 0),
    add column pending_observed_at   timestamptz;
