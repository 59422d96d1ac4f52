package com.reservebtc.oracle.reserves;

import com.reservebtc.oracle.chain.ChainProperties;
import com.reservebtc.oracle.chain.ContractsProperties;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.web3j.crypto.Credentials;

/**
 * {@code system_contracts}: records at start the aggregator, the committee address and the
 * attestation signer this process works with (first and last seen), so a rotated attestation key
 * stays listed beside its successor. Lists them for {@code GET /api/reserves/signers}.
 */
@Component
class SystemContracts {

  /** One row. */
  record Entry(String name, String address, long chainId, String firstSeenAt, String lastSeenAt) {}

  private final JdbcClient jdbc;
  private final ContractsProperties contracts;
  private final ChainProperties chain;
  private final Credentials committee;
  private final ObjectProvider<AttestationKey> key;
  private final Clock clock;

  SystemContracts(
      JdbcClient jdbc,
      ContractsProperties contracts,
      ChainProperties chain,
      Credentials committee,
      ObjectProvider<AttestationKey> key,
      Clock clock) {
    this.jdbc = jdbc;
    this.contracts = contracts;
    this.chain = chain;
    this.committee = committee;
    this.key = key;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  void record() {
    record("oracle_aggregator", contracts.oracleAggregator());
    record("committee", committee.getAddress());
    AttestationKey signer = key.getIfAvailable();
    if (signer != null) {
      record("reserves_attestation_signer", signer.address());
    }
  }

  List<Entry> all() {
    return jdbc.sql("select * from system_contracts order by name, first_seen_at")
        .query(
            (rs, n) ->
                new Entry(
                    rs.getString("name"),
                    rs.getString("address"),
                    rs.getLong("chain_id"),
                    rs.getObject("first_seen_at", OffsetDateTime.class).toInstant().toString(),
                    rs.getObject("last_seen_at", OffsetDateTime.class).toInstant().toString()))
        .list();
  }

  private void record(String name, String address) {
    if (address == null || address.isBlank()) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    jdbc.sql(
            """
            insert into system_contracts (name, address, chain_id, first_seen_at, last_seen_at)
            values (:name, :address, :chain, :now, :now)
            on conflict (name, address, chain_id) do update set last_seen_at = excluded.last_seen_at
            """)
        .param("name", name)
        .param("address", address.trim().toLowerCase(Locale.ROOT))
        .param("chain", chain.id())
        .param("now", now)
        .update();
  }
}
