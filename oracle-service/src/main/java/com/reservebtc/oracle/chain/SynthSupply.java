package com.reservebtc.oracle.chain;

import java.math.BigInteger;

/**
 * rBTC-SYNTH's total supply as read on-chain.
 *
 * @param synth the token's address, lower case
 * @param blockNumber the EVM block the supply was read at
 * @param totalSupply {@code totalSupply()} in sats (the token has 8 decimals)
 */
public record SynthSupply(String synth, long blockNumber, BigInteger totalSupply) {}
