package com.reservebtc.oracle.binding;

import java.time.Instant;

/**
 * A removed binding, as recorded in {@code bitcoin_address_unbindings}.
 *
 * @param id database id of the unbinding
 * @param ethAddress the EVM address the Bitcoin address was bound to, lower-case 0x
 * @param btcAddress canonical Bitcoin address
 * @param network the Bitcoin network id
 * @param signatureScheme how the unbind request was signed
 * @param messageTimestamp the time stated in the signed unbind request, epoch seconds
 * @param unboundAt when the oracle removed the binding
 */
public record Unbinding(
    long id,
    String ethAddress,
    String btcAddress,
    String network,
    String signatureScheme,
    long messageTimestamp,
    Instant unboundAt) {}
