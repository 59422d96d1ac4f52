-- What the yield service last said about a participant's place in the YieldScalesPool on chain
-- (YieldParticipantState v2): the registration's status, the rBTC-SYNTH balance it counts, and
-- whether the pool holds the contribution it should (with the call that would put it in step).
-- All null for states published before v2.
ALTER TABLE yield_scales_participants
    ADD COLUMN registration_status TEXT,
    ADD COLUMN rbtc_balance_sats BIGINT,
    ADD COLUMN pool_in_step BOOLEAN,
    ADD COLUMN pool_contribution_sats NUMERIC(78, 0),
    ADD COLUMN pool_desired_sats BIGINT,
    ADD COLUMN pool_pending_call TEXT,
    ADD COLUMN pool_checked_at TIMESTAMPTZ;
