package com.reservebtc.gateway.api;

/**
 * The body of every error response.
 *
 * @param error a stable machine-readable code, e.g. {@code invalid_address}
 * @param message what was wrong and how to fix it
 */
public record ApiError(String error, String message) {}
