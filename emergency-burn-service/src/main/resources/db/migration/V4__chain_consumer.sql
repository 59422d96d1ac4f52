-- The service consumes through the chain-consumer module (its own tables: consumer_positions,
-- chain_publications, chain_heights, dead_letter_replays, chain_outbox; migrated apart). What it
-- replaces goes, and every table derived from the topics is emptied: the new consumer has no
-- stored position yet, so it reads every topic from its beginning and rebuilds them. Alerts are
-- published again for the transitions it finds (a user's latest AT_RISK / CLEARED alert stays the
-- truth); unpublished rows of the old outbox are dropped with it, as the rebuild re-decides them.
drop table processed_events;
drop table chain_finality;
drop table outbox;

-- Finality is no longer stored: it is read from chain_heights (the latest markers), so it follows
-- the heights down after a reorg and never depends on which thread applied what first.
drop index emergency_burns_unsettled_idx;
alter table emergency_burns drop column finality;
truncate emergency_burns;
-- The event id is the identity; a serial id only recorded the order rows happened to be written.
alter table emergency_burns drop column id;
alter table emergency_burns add primary key (event_id);

-- The applied Synced and FeeVault logs of each user. A user's rBTC balance is the newBalance of
-- their latest Synced log (block, log index) and the fee vault's balance the sum of the changes,
-- so both are the same whatever order the records of different partitions were applied in.
create table synced_events (
    event_id         text primary key,
    user_address     text   not null check (user_address ~ '^0x[0-9a-f]{40}$'),
    block_number     bigint not null,
    log_index        integer not null,
    new_balance_sats bigint not null check (new_balance_sats >= 0)
);

create index synced_events_user_idx on synced_events (user_address, block_number desc, log_index desc);

create table fee_vault_events (
    event_id     text primary key,
    user_address text           not null check (user_address ~ '^0x[0-9a-f]{40}$'),
    block_number bigint         not null,
    change_wei   numeric(78, 0) not null
);

create index fee_vault_events_user_idx on fee_vault_events (user_address);

-- Derived from the two tables above; last_event_id depended on the order records were applied in.
truncate user_risk;
alter table user_risk drop column last_event_id;
create index user_risk_at_risk_idx on user_risk (user_address) where at_risk;
