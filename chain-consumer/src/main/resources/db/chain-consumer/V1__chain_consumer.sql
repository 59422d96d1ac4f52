-- Tables of the chain-consumer module, in the consuming service's own schema, versioned apart
-- from the service's migrations (history table chain_consumer_schema_history).

-- Where each partition is applied up to: the next offset to apply. Advanced in the database
-- transaction that applies the records before it, only from the value it was read at, so a batch
-- is applied exactly once even when two consumers briefly hold one partition (a rebalance). On
-- assignment the consumer seeks here; Kafka's committed offsets only follow (for lag metrics).
create table if not exists consumer_positions (
    topic        text        not null,
    partition    integer     not null check (partition >= 0),
    next_offset  bigint      not null check (next_offset >= 0),
    updated_at   timestamptz not null default now(),
    primary key (topic, partition)
);

-- The inbox of chain events, per publication: for each event identity (chainId:txHash:logIndex)
-- of a topic, the offset of the last publication applied and what it said (in which block, or
-- retracted). A publication with an offset not above it is a redelivery or an obsolete copy (e.g.
-- a dead letter replayed after the event was retracted) and changes nothing; a newer one moves the
-- event between applied-in-block-B and retracted, so A -> retracted -> A again re-applies it.
create table if not exists chain_publications (
    topic              text        not null,
    event_id           text        not null,
    partition          integer     not null,
    publication_offset bigint      not null,
    block_number       bigint      not null,
    block_hash         text        not null,
    retracted          boolean     not null,
    primary key (topic, event_id)
);

-- Block heights per chain from rbtc.chain.blocks.v1: the latest marker of each kind in topic order
-- (heights go down when a reorg lowers them). Finality of a log = FINALIZED at or below
-- finalized_block, CONFIRMED at or below confirmed_block, else PENDING. marker_offset keeps an
-- older marker (a replayed dead letter) from moving a height back.
create table if not exists chain_heights (
    chain_id        bigint      primary key,
    head_block      bigint,
    confirmed_block bigint,
    finalized_block bigint,
    marker_offset   bigint      not null default -1,
    updated_at      timestamptz not null default now()
);

-- Dead letters this service already replayed (rbtc ops command), so a second replay skips them.
create table if not exists dead_letter_replays (
    dlt_topic   text        not null,
    partition   integer     not null,
    dlt_offset  bigint      not null,
    outcome     text        not null,
    replayed_at timestamptz not null default now(),
    primary key (dlt_topic, partition, dlt_offset)
);

-- Records to publish, written in the transaction that decided them; published in id order by the
-- relay, marked when the broker acknowledged them.
create table if not exists chain_outbox (
    id           bigserial primary key,
    topic        text        not null,
    message_key  text        not null,
    payload      bytea       not null,
    created_at   timestamptz not null default now(),
    published_at timestamptz
);

create index if not exists chain_outbox_pending_idx on chain_outbox (id) where published_at is null;
