package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.ownership.VerifiedOwnership;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code bitcoin_addresses}. Uniqueness of a Bitcoin address is enforced by the table's UNIQUE
 * constraint: {@link #insertIfAbsent} is one atomic statement, never a read followed by a write.
 */
@Repository
public class BindingRepository {

  private final JdbcClient jdbc;

  BindingRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the binding unless the Bitcoin address is already bound (to anyone).
   *
   * @return the new binding, or empty if the address was already bound
   */
  Optional<Binding> insertIfAbsent(VerifiedOwnership ownership, Instant now) {
    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    return jdbc.sql(
            """
            insert into bitcoin_addresses
              (eth_address, btc_address, network, signature_scheme, signed_message, signature,
               eth_signature, message_timestamp, verified_at, monitoring_started_at, is_monitoring,
               created_at)
            values (:eth, :btc, :network, :scheme, :message, :signature,
                    :ethSignature, :messageTimestamp, :at, :at, true, :at)
            on conflict (btc_address) do nothing
            returning *
            """)
        .param("eth", ownership.ethAddress())
        .param("btc", ownership.btcAddress().text())
        .param("network", ownership.network().id())
        .param("scheme", ownership.scheme().name())
        .param("message", ownership.message())
        .param("signature", ownership.signature())
        .param("ethSignature", ownership.ethSignature())
        .param("messageTimestamp", ownership.messageTimestamp())
        .param("at", at)
        .query(BindingRepository::map)
        .optional();
  }

  /**
   * Records {@code messageTimestamp} as the Bitcoin address's last change if it is strictly newer
   * than the one recorded. Meant to run in the transaction of the change it guards.
   *
   * @return false if the address changed at or after {@code messageTimestamp} (a stale or replayed
   *     request)
   */
  boolean advanceLastChange(String btcAddress, long messageTimestamp, Instant now) {
    return jdbc.sql(
                """
                insert into bitcoin_address_changes (btc_address, last_message_timestamp, changed_at)
                values (:btc, :ts, :at)
                on conflict (btc_address) do update
                  set last_message_timestamp = excluded.last_message_timestamp,
                      changed_at = excluded.changed_at
                  where bitcoin_address_changes.last_message_timestamp
                        < excluded.last_message_timestamp
                """)
            .param("btc", btcAddress)
            .param("ts", messageTimestamp)
            .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .update()
        == 1;
  }

  /** The signed timestamp of the address's last binding or unbinding, if it ever had one. */
  Optional<Long> lastChange(String btcAddress) {
    return jdbc.sql(
            "select last_message_timestamp from bitcoin_address_changes where btc_address = :btc")
        .param("btc", btcAddress)
        .query(Long.class)
        .optional();
  }

  Optional<Binding> findByBtcAddress(String btcAddress) {
    return jdbc.sql("select * from bitcoin_addresses where btc_address = :btc")
        .param("btc", btcAddress)
        .query(BindingRepository::map)
        .optional();
  }

  List<Binding> findByEthAddress(String ethAddress) {
    return jdbc.sql("select * from bitcoin_addresses where eth_address = :eth order by id")
        .param("eth", ethAddress)
        .query(BindingRepository::map)
        .list();
  }

  /**
   * Removes the binding of {@code btcAddress} to {@code ethAddress} and records the unbinding, in
   * one statement (so both happen or neither does).
   *
   * @return the recorded unbinding, or empty if no such binding exists (any more)
   */
  Optional<Unbinding> unbind(
      String btcAddress,
      String ethAddress,
      String message,
      String signature,
      String ethSignature,
      String scheme,
      long messageTimestamp,
      Instant now) {
    return jdbc.sql(
            """
            with removed as (
              delete from bitcoin_addresses where btc_address = :btc and eth_address = :eth
              returning *)
            insert into bitcoin_address_unbindings
              (binding_id, eth_address, btc_address, network, bound_signature_scheme,
               bound_message_timestamp, bound_at, unbind_message, unbind_signature,
               unbind_eth_signature, unbind_signature_scheme, unbind_message_timestamp, unbound_at)
            select id, eth_address, btc_address, network, signature_scheme, message_timestamp,
                   verified_at, :message, :signature, :ethSignature, :scheme, :messageTimestamp,
                   :at
            from removed
            returning *
            """)
        .param("btc", btcAddress)
        .param("eth", ethAddress)
        .param("message", message)
        .param("signature", signature)
        .param("ethSignature", ethSignature)
        .param("scheme", scheme)
        .param("messageTimestamp", messageTimestamp)
        .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .query(BindingRepository::mapUnbinding)
        .optional();
  }

  /** Unbindings whose UNBOUND event was never acknowledged, made before {@code before}. */
  List<Unbinding> unpublishedUnbindings(Instant before) {
    return jdbc.sql(
            "select * from bitcoin_address_unbindings where published_at is null"
                + " and unbound_at < :before order by id limit 1000")
        .param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
        .query(BindingRepository::mapUnbinding)
        .list();
  }

  void markUnbindingPublished(long id, Instant now) {
    jdbc.sql("update bitcoin_address_unbindings set published_at = :now where id = :id")
        .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .param("id", id)
        .update();
  }

  /** EVM addresses with an unbinding that no sync cycle has settled yet. */
  public List<String> usersWithUnsettledUnbindings() {
    return jdbc.sql(
            "select distinct eth_address from bitcoin_address_unbindings where settled_at is null"
                + " order by eth_address")
        .query(String.class)
        .list();
  }

  /**
   * Marks the user's unbindings made before {@code cycleStartedAt} settled: a cycle that read the
   * bindings after them found the on-chain balance equal to what is still bound.
   */
  public void settleUnbindings(String ethAddress, Instant cycleStartedAt, Instant now) {
    jdbc.sql(
            "update bitcoin_address_unbindings set settled_at = :now where eth_address = :eth"
                + " and settled_at is null and unbound_at < :started")
        .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .param("eth", ethAddress)
        .param("started", OffsetDateTime.ofInstant(cycleStartedAt, ZoneOffset.UTC))
        .update();
  }

  /** Every monitored binding, grouped by EVM address. */
  public List<Binding> monitored() {
    return jdbc.sql("select * from bitcoin_addresses where is_monitoring order by eth_address, id")
        .query(BindingRepository::map)
        .list();
  }

  /** Bindings whose BOUND event was never acknowledged, created before {@code before}. */
  List<Binding> unpublished(Instant before) {
    return jdbc.sql(
            "select * from bitcoin_addresses where published_at is null and created_at < :before"
                + " order by id limit 1000")
        .param("before", OffsetDateTime.ofInstant(before, ZoneOffset.UTC))
        .query(BindingRepository::map)
        .list();
  }

  void markPublished(long id, Instant now) {
    jdbc.sql("update bitcoin_addresses set published_at = :now where id = :id")
        .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .param("id", id)
        .update();
  }

  private static Unbinding mapUnbinding(ResultSet rs, int row) throws SQLException {
    return new Unbinding(
        rs.getLong("id"),
        rs.getString("eth_address"),
        rs.getString("btc_address"),
        rs.getString("network"),
        rs.getString("unbind_signature_scheme"),
        rs.getLong("unbind_message_timestamp"),
        rs.getObject("unbound_at", OffsetDateTime.class).toInstant());
  }

  private static Binding map(ResultSet rs, int row) throws SQLException {
    return new Binding(
        rs.getLong("id"),
        rs.getString("eth_address"),
        rs.getString("btc_address"),
        rs.getString("network"),
        rs.getString("signature_scheme"),
        rs.getLong("message_timestamp"),
        rs.getObject("verified_at", OffsetDateTime.class).toInstant(),
        rs.getBoolean("is_monitoring"));
  }
}
