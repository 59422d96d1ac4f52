package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.BitcoinAddressJson;
import com.reservebtc.gateway.api.Timestamps;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BindingKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies oracle bindings to {@code bitcoin_addresses}. A Bitcoin address belongs to one EVM
 * address at a time (unique column); an older event never overwrites a newer one of the same
 * Bitcoin address. Does not verify signatures: the oracle publishes only verified bindings.
 */
@Component
class BindingProjector {

  private final Inbox inbox;
  private final JdbcClient jdbc;
  private final CommittedChanges changes;

  BindingProjector(Inbox inbox, JdbcClient jdbc, CommittedChanges changes) {
    this.inbox = inbox;
    this.jdbc = jdbc;
    this.changes = changes;
  }

  Outcome project(String topic, BindingEvent event) {
    String eth = ChainEventMapper.address(event.getEthAddress(), "ethAddress");
    String btc = event.getBtcAddress() == null ? "" : event.getBtcAddress().trim();
    if (btc.isEmpty()) {
      throw new InvalidRecordException("binding of " + eth + " without a Bitcoin address");
    }
    String id =
        "binding:" + eth + ":" + btc + ":" + event.getKind() + ":" + event.getOccurredAtMillis();
    if (!inbox.claim(id, topic)) {
      return Outcome.DUPLICATE;
    }
    OffsetDateTime at =
        OffsetDateTime.ofInstant(Instant.ofEpochMilli(event.getOccurredAtMillis()), ZoneOffset.UTC);
    Optional<BitcoinAddressJson> changed =
        event.getKind() == BindingKind.BOUND
            ? bind(eth, btc, event.getNetwork(), event.getSignatureScheme(), at, event)
            : unbind(eth, btc, at, event);
    if (changed.isEmpty()) {
      return Outcome.NO_EFFECT;
    }
    // a bind may move the Bitcoin address away from its previous owner, whose reads change too
    changes.afterCommitAffectingAll(List.of(StreamEvent.binding(eth, changed.get())));
    return Outcome.APPLIED;
  }

  private Optional<BitcoinAddressJson> bind(
      String eth,
      String btc,
      String network,
      String scheme,
      OffsetDateTime at,
      BindingEvent event) {
    return jdbc.sql(
            """
            INSERT INTO bitcoin_addresses AS a (eth_address, bitcoin_address, network,
                signature_scheme, verified_at, monitoring_started_at, is_monitoring, created_at,
                event_millis)
            VALUES (:eth, :btc, :network, :scheme, :at, :at, true, :at, :millis)
            ON CONFLICT (bitcoin_address) DO UPDATE SET
                eth_address = EXCLUDED.eth_address, network = EXCLUDED.network,
                signature_scheme = EXCLUDED.signature_scheme, verified_at = EXCLUDED.verified_at,
                monitoring_started_at = EXCLUDED.monitoring_started_at, is_monitoring = true,
                event_millis = EXCLUDED.event_millis
            WHERE a.event_millis <= EXCLUDED.event_millis
            RETURNING *
            """)
        .param("eth", eth)
        .param("btc", btc)
        .param("network", network)
        .param("scheme", scheme)
        .param("at", at)
        .param("millis", event.getOccurredAtMillis())
        .query(BindingProjector::map)
        .optional();
  }

  private Optional<BitcoinAddressJson> unbind(
      String eth, String btc, OffsetDateTime at, BindingEvent event) {
    return jdbc.sql(
            """
            UPDATE bitcoin_addresses SET is_monitoring = false, monitoring_started_at = NULL,
                event_millis = :millis
            WHERE bitcoin_address = :btc AND eth_address = :eth AND event_millis <= :millis
            RETURNING *
            """)
        .param("eth", eth)
        .param("btc", btc)
        .param("millis", event.getOccurredAtMillis())
        .query(BindingProjector::map)
        .optional();
  }

  private static BitcoinAddressJson map(java.sql.ResultSet rs, int rowNum)
      throws java.sql.SQLException {
    return new BitcoinAddressJson(
        rs.getLong("id"),
        rs.getString("eth_address"),
        rs.getString("bitcoin_address"),
        rs.getString("network"),
        Timestamps.local(instant(rs.getObject("verified_at", OffsetDateTime.class))),
        Timestamps.local(instant(rs.getObject("monitoring_started_at", OffsetDateTime.class))),
        rs.getBoolean("is_monitoring"),
        Timestamps.local(instant(rs.getObject("created_at", OffsetDateTime.class))));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
