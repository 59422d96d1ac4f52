package com.reservebtc.oracle.ownership;

/**
 * What a user submits to bind a Bitcoin address, all as received: the EVM address, the Bitcoin
 * address, the signed message text, the Bitcoin key's base64 signature over it and the EVM
 * address's EIP-191 signature over the same text.
 */
public record OwnershipClaim(
    String ethAddress, String btcAddress, String message, String signature, String ethSignature) {}
