package com.reservebtc.gateway.stream;

/**
 * One committed row of the shared event stream, as the relay hands it to the subscribers of its
 * address.
 *
 * @param id the stream id: orders all events (and so every address's events); sent as the SSE
 *     {@code id:} and the WebSocket frame's {@code id}
 * @param address the address the event is for (lowercase)
 * @param type the event type ({@link StreamEvent#type()}); the SSE event name
 * @param json the {@link StreamEvent} as JSON, exactly as stored
 */
public record StreamMessage(long id, String address, String type, String json) {}
