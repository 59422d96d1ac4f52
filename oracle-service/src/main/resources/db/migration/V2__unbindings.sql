-- Audit trail of removed bindings. Unbinding deletes the row from bitcoin_addresses (so the Bitcoin
-- address can be bound again, to anyone) and copies it here in the same statement, with the signed
-- unbind request that authorised it. Append-only.
create table bitcoin_address_unbindings (
    id                        bigserial    primary key,
    binding_id                bigint       not null,
    eth_address               text         not null check (eth_address ~ '^0x[0-9a-f]{40}$'),
    btc_address               text         not null,
    network                   text         not null check (network in ('mainnet', 'testnet', 'signet', 'regtest')),
    bound_signature_scheme    text         not null,
    bound_message_timestamp   bigint       not null,
    bound_at                  timestamptz  not null,
    unbind_message            text         not null,
    unbind_signature          text         not null,
    unbind_signature_scheme   text         not null check (unbind_signature_scheme in ('BIP137', 'BIP322_SIMPLE')),
    unbind_message_timestamp  bigint       not null,
    unbound_at                timestamptz  not null,
    -- Set once the UNBOUND BindingEvent was acknowledged by Kafka; null rows are re-published.
    published_at              timestamptz,
    -- Set once a sync cycle that started after the unbinding found the user's on-chain balance equal
    -- to the sum of the remaining addresses. Until then the cycle keeps the user in scope even when
    -- no binding is left, so their balance is brought down to what is still bound.
    settled_at                timestamptz
);

create index bitcoin_address_unbindings_unsettled_idx on bitcoin_address_unbindings (eth_address) where settled_at is null;
create index bitcoin_address_unbindings_unpublished_idx on bitcoin_address_unbindings (id) where published_at is null;
create index bitcoin_address_unbindings_btc_idx on bitcoin_address_unbindings (btc_address);
