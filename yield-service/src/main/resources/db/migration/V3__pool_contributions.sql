-- The pool kept in step: per registered Bitcoin holder, the contribution this service's
-- participant state says the pool should hold (desired_sats = the holder's contribution_sats,
-- i.e. their rBTC-SYNTH balance; the pool's own emergency burns only mirror aggregator burns that
-- the balance already counts) against the pool's participants(user).amount read by eth_call.
-- pending_call is the call that would bring the pool in step (null when it is): sent when the
-- service holds the pool's oracle key, only recorded otherwise. burn_event_id is the aggregator
-- emergency burn the pool was last told of with emergencyBurn. tx_* is the pool transaction in
-- flight, recorded before broadcast with every hash of its nonce (any one may be mined).
create table pool_contributions (
    user_address      text primary key check (user_address ~ '^0x[0-9a-f]{40}$'),
    desired_sats      bigint         not null check (desired_sats >= 0),
    on_chain_sats     numeric(78, 0),
    in_step           boolean        not null,
    pending_call      text,
    burn_event_id     text,
    tx_call           text,
    tx_amount         numeric(78, 0),
    tx_burn_event_id  text,
    tx_nonce          bigint,
    tx_hashes         text[],
    tx_submitted_at   timestamptz,
    last_tx_hash      text,
    last_error        text,
    out_of_step_since timestamptz,
    checked_at        timestamptz    not null default now()
);

create index pool_contributions_in_flight_idx on pool_contributions (user_address)
    where tx_hashes is not null;
