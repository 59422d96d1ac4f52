-- A binding needs the consent of both keys: the Bitcoin key's signature over the ownership message
-- and the EVM address's EIP-191 signature over the same text. Bindings made before this migration
-- have no EVM signature (null); they stay, and the EVM address can remove them with a signed
-- unbind request of its own.
alter table bitcoin_addresses add column eth_signature text
    check (eth_signature is null or eth_signature ~ '^0x[0-9a-f]{130}$');

-- testnet4 shares address formats with testnet3 and signet; the network id tells them apart.
alter table bitcoin_addresses drop constraint bitcoin_addresses_network_check;
alter table bitcoin_addresses add constraint bitcoin_addresses_network_check
    check (network in ('mainnet', 'testnet', 'testnet4', 'signet', 'regtest'));
alter table bitcoin_address_unbindings drop constraint bitcoin_address_unbindings_network_check;
alter table bitcoin_address_unbindings add constraint bitcoin_address_unbindings_network_check
    check (network in ('mainnet', 'testnet', 'testnet4', 'signet', 'regtest'));

-- Either key may unbind: the Bitcoin key (unbind_signature, its scheme) or the EVM address
-- (unbind_eth_signature; scheme EIP191 when it is the only one).
alter table bitcoin_address_unbindings alter column unbind_signature drop not null;
alter table bitcoin_address_unbindings add column unbind_eth_signature text
    check (unbind_eth_signature is null or unbind_eth_signature ~ '^0x[0-9a-f]{130}$');
alter table bitcoin_address_unbindings drop constraint bitcoin_address_unbindings_unbind_signature_scheme_check;
alter table bitcoin_address_unbindings add constraint bitcoin_address_unbindings_unbind_signature_scheme_check
    check (unbind_signature_scheme in ('BIP137', 'BIP322_SIMPLE', 'EIP191'));
alter table bitcoin_address_unbindings add constraint bitcoin_address_unbindings_signed
    check (unbind_signature is not null or unbind_eth_signature is not null);

-- The signed timestamp of the last binding or unbinding of each Bitcoin address. A new binding or
-- unbinding must be signed strictly later, so a captured request can never be replayed after the
-- change it preceded (e.g. a binding request re-sent within its hour after the address was
-- unbound). Advanced in the same transaction as the change it guards.
create table bitcoin_address_changes (
    btc_address             text         primary key,
    last_message_timestamp  bigint       not null,
    changed_at              timestamptz  not null
);

insert into bitcoin_address_changes (btc_address, last_message_timestamp, changed_at)
select btc_address, max(ts), now()
from (select btc_address, message_timestamp as ts from bitcoin_addresses
      union all
      select btc_address, unbind_message_timestamp from bitcoin_address_unbindings) changes
group by btc_address;
