package com.reservebtc.oracle.binding;

import java.time.Instant;

/**
 * A stored binding.
 *
 * @param id database id
 * @param ethAddress lower-case 0x EVM address
 * @param btcAddress canonical Bitcoin address
 * @param network the Bitcoin network id
 * @param signatureScheme how ownership was proven
 * @param messageTimestamp the time stated in the signed message, epoch seconds
 * @param verifiedAt when the oracle verified the signature
 * @param monitoring whether the address is watched and synced
 */
public record Binding(
    long id,
    String ethAddress,
    String btcAddress,
    String network,
    String signatureScheme,
    long messageTimestamp,
    Instant verifiedAt,
    boolean monitoring) {}
