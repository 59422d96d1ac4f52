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

-- Markers only ever touch burns that are not final yet.
create index emergency_burns_unsettled_idx on emergency_burns (chain_id, block_number)
    where finality <> 'FINALIZED';
