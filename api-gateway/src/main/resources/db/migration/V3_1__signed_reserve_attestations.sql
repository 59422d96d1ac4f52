-- Signed, chained proof-of-reserves attestations (rbtc-por-v2): the statement the oracle's
-- attestation key signed, its hash, signature and signer, kept as received. Every attestation the
-- oracle ever published stays here, so a sequence number that appears with two different
-- statements (a replaced root) is visible in GET /api/realtime/proof-of-reserves/history.
ALTER TABLE proof_of_reserves
    ADD COLUMN encoding           text NOT NULL DEFAULT 'rbtc-por-v1',
    ADD COLUMN sequence           bigint,
    ADD COLUMN previous_hash      text,
    ADD COLUMN statement          text,
    ADD COLUMN statement_hash     text,
    ADD COLUMN signature          text,
    ADD COLUMN signer             text,
    ADD COLUMN min_confirmations  integer,
    ADD COLUMN synth_block_number bigint,
    ADD COLUMN difference_sats    numeric(78, 0);

-- v1 attestations stay deduplicated by (tip, root, created); signed ones by their statement only,
-- so two different statements can never be folded into one row.
ALTER TABLE proof_of_reserves DROP CONSTRAINT proof_of_reserves_unique;
CREATE UNIQUE INDEX proof_of_reserves_v1_unique ON proof_of_reserves (btc_tip_hash, merkle_root, created_at)
    WHERE statement_hash IS NULL;
CREATE UNIQUE INDEX proof_of_reserves_statement_unique ON proof_of_reserves (statement_hash)
    WHERE statement_hash IS NOT NULL;
CREATE INDEX proof_of_reserves_sequence_idx ON proof_of_reserves (sequence) WHERE sequence IS NOT NULL;
