package com.reservebtc.esplora;

/** A block of the canonical chain by height and 64-hex hash. */
public record BlockRef(int height, String hash) {}
