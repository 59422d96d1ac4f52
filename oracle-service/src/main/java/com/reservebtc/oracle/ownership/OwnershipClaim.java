package com.reservebtc.oracle.ownership;

/**
 * What a user submits to bind a Bitcoin address: the EVM address, the Bitcoin address, the signed
 * message text and the base64 signature, all as received.
 */
public record OwnershipClaim(
    String ethAddress, String btcAddress, String message, String signature) {}
