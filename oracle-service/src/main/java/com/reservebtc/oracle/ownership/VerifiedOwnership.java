package com.reservebtc.oracle.ownership;

/**
 * A claim that passed every check: the message is the template for {@code ethAddress}, recent,
 * signed by the key controlling {@code btcAddress} and by {@code ethAddress} itself.
 *
 * @param ethAddress lower-case 0x EVM address
 * @param btcAddress the address in canonical form
 * @param network the network the address belongs to
 * @param scheme the signature scheme that proved it
 * @param messageTimestamp the time stated in the signed message, epoch seconds
 * @param message the signed message text
 * @param signature the Bitcoin signature as submitted (base64)
 * @param ethSignature the EVM address's EIP-191 signature as submitted (0x hex)
 */
public record VerifiedOwnership(
    String ethAddress,
    BtcAddress btcAddress,
    BtcNetwork network,
    SignatureScheme scheme,
    long messageTimestamp,
    String message,
    String signature,
    String ethSignature) {}
