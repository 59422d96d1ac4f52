-- Operator alerts, one row per change of state (a Bitcoin source excluded or used again, sources
-- disagreeing or agreeing again, a transaction stuck at the fee cap or moving again), mirrored on
-- rbtc.oracle.alerts.v1. Sources are named by alias only. Append-only.
create table oracle_alerts (
    id            bigserial    primary key,
    kind          text         not null check (kind in ('SOURCE_EXCLUDED', 'SOURCE_READMITTED',
                                                        'SOURCES_DISAGREE', 'SOURCES_AGREE',
                                                        'TRANSACTION_STUCK', 'TRANSACTION_UNSTUCK')),
    subject       text,
    message       text         not null,
    created_at    timestamptz  not null,
    -- Set once the OracleAlert record was acknowledged by Kafka; null rows are re-published.
    published_at  timestamptz
);

create index oracle_alerts_unpublished_idx on oracle_alerts (id) where published_at is null;
