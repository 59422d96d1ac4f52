-- The latest CONFIRMED and FINALIZED block markers of each chain (rbtc.chain.blocks.v1). A marker
-- is applied only when it raises a height, in the same transaction as the finality upgrade of the
-- rows at or below it; this row is therefore the markers' inbox entry: a redelivered (or older)
-- marker finds its height already reached and changes nothing. A log that arrives after its
-- block's marker takes the higher finality from here. NULL: no such marker seen yet.
create table chain_finality (
    chain_id        bigint primary key,
    confirmed_block bigint check (confirmed_block >= 0),
    finalized_block bigint check (finalized_block >= 0),
    updated_at      timestamptz not null default now()
);

-- Audit rows caused by a chain log carry that log's chain, block and finality. Rows written by a
-- retraction keep the chain and block but no finality (the log they undo left the canonical
-- chain); rows not caused by a log (registration attempts) have none of them.
alter table yield_operations_log
    add column chain_id     bigint,
    add column block_number bigint,
    add column finality     text check (finality in ('PENDING', 'CONFIRMED', 'FINALIZED'));

update yield_operations_log set chain_id = split_part(event_id, ':', 1)::bigint
    where event_id is not null;

create index yield_operations_unsettled_idx on yield_operations_log (chain_id, block_number)
    where finality in ('PENDING', 'CONFIRMED');

alter table yield_scales_state
    add column chain_id bigint,
    add column finality text not null default 'PENDING'
        check (finality in ('PENDING', 'CONFIRMED', 'FINALIZED'));

update yield_scales_state set chain_id = split_part(event_id, ':', 1)::bigint;

alter table yield_scales_state alter column chain_id set not null;

-- How settled a participant's state is: state_block_number is the highest block of the events
-- applied to it (a retraction leaves it, which only delays the upgrade), finality that block's.
-- Every event behind the state is at or below that block, so a marker at or above it settles the
-- whole state. NULL for rows written before this column existed, until their next change.
alter table yield_scales_participants
    add column chain_id           bigint,
    add column state_block_number bigint,
    add column finality           text check (finality in ('PENDING', 'CONFIRMED', 'FINALIZED'));

create index yield_participants_unsettled_idx
    on yield_scales_participants (chain_id, state_block_number)
    where finality in ('PENDING', 'CONFIRMED');
