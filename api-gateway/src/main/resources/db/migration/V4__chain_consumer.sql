-- The gateway consumes through the chain-consumer module (its own tables in this schema, migrated
-- apart: consumer_positions, chain_publications, chain_heights, dead_letter_replays, chain_outbox).
-- Chain logs are deduplicated per publication there, so their processed_events entries
-- (eventId@blockHash ids) go; the other topics keep processed_events, whose content ids drop a record
-- another service's outbox published twice.
--
-- The new consumer has no stored position, so it reads every topic from its beginning: the tables
-- built from chain logs are emptied here and rebuilt; the others are re-read and find their records
-- in processed_events.
DELETE FROM processed_events WHERE event_id LIKE '%@0x%';

-- Finality is no longer stored: it is read from chain_heights (the latest block markers), so it
-- follows the heights down after a reorg and never depends on which thread applied what first.
DROP TABLE chain_heads;
DROP INDEX transactions_unsettled;
ALTER TABLE transactions DROP COLUMN status;
ALTER TABLE transactions DROP COLUMN finality;
DROP INDEX balance_disputes_unsettled;
ALTER TABLE balance_disputes DROP COLUMN finality;

-- The bound Bitcoin address of a sync row is read from bitcoin_addresses (the user's monitored
-- address now), not copied when the row was written: bindings arrive on another topic, in any
-- order relative to the syncs.
ALTER TABLE transactions DROP COLUMN bitcoin_address;

-- Identity is the log (chain, tx, log index); serial ids only recorded the order rows were written.
TRUNCATE transactions, balances, balance_history, balance_disputes;
ALTER TABLE transactions DROP COLUMN id;
ALTER TABLE transactions DROP CONSTRAINT transactions_log_unique;
ALTER TABLE transactions ADD PRIMARY KEY (chain_id, tx_hash, log_index);
ALTER TABLE balance_disputes DROP COLUMN id;
ALTER TABLE balance_disputes DROP CONSTRAINT balance_disputes_log_unique;
ALTER TABLE balance_disputes ADD PRIMARY KEY (chain_id, tx_hash, log_index);

-- A row per balance change of a log (its net change per user and asset). The running balance
-- depends on the order of all of a user's changes, which arrive on several partitions, so it is
-- computed when read (view balance_history_running) instead of stored.
ALTER TABLE balance_history DROP COLUMN id;
ALTER TABLE balance_history DROP COLUMN balance_after;
ALTER TABLE balance_history DROP CONSTRAINT balance_history_unique;
ALTER TABLE balance_history ADD PRIMARY KEY (event_id, user_address, asset);
CREATE INDEX balance_history_by_event ON balance_history (event_id);

CREATE VIEW balance_history_running AS
SELECT h.*,
       sum(h.delta) OVER (PARTITION BY h.user_address, h.asset
                          ORDER BY h.block_number, h.log_index, h.event_id) AS balance_after
FROM balance_history h;

-- Emergency-burn flags and the sync rows of a transaction are found by transaction.
CREATE INDEX transactions_synced_by_tx ON transactions (chain_id, tx_hash) WHERE event_name = 'Synced';
