-- The per-address event stream, shared by every gateway replica: each committed change a projection
-- pushes is a row here, written in the projection's own transaction (StreamLog). Ids are taken from
-- stream_event_ids under a transaction-scoped advisory lock, so they are allocated in commit order:
-- once a reader has seen id N, no row with an id below N commits later. Every replica relays the
-- rows above the last one it relayed to its own stream clients (StreamRelay), and a client that
-- reconnects with the id of the last event it received reads the rows of its address above it.
CREATE SEQUENCE stream_event_ids;

CREATE TABLE stream_events (
    id         bigint      PRIMARY KEY,
    address    text        NOT NULL,
    type       text        NOT NULL,
    -- the StreamEvent JSON exactly as pushed (the SSE data, the WebSocket frame's "data"); text,
    -- not json: the gateway's own serializer wrote it, and json's input check cost about a sixth
    -- of an append of 1,000 events (payload::json reads it as JSON)
    payload    text        NOT NULL,
    -- when the row was written: clock_timestamp(), not the transaction's start, because the
    -- projections append as the last step before their commit
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- a reconnecting client's backlog: its address's rows above its last id, in id order
CREATE INDEX stream_events_address_id ON stream_events (address, id);
-- retention deletes by age; rows are appended in time order, so a BRIN index is enough and costs
-- next to nothing per insert
CREATE INDEX stream_events_created_at ON stream_events USING brin (created_at);

-- The retention job's low-water mark: every row with an id up to deleted_through may have been
-- deleted, so a client resuming from an id below it may have missed events and is told to reset.
-- Updated in the same statement that deletes the rows.
CREATE TABLE stream_retention (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    deleted_through bigint  NOT NULL CHECK (deleted_through >= 0)
);
INSERT INTO stream_retention (deleted_through) VALUES (0);
