package com.reservebtc.gateway.contracts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The registry of contract deployments the system indexes ({@code system_contracts}), served
 * read-only at {@code /api/realtime/system-contracts}.
 *
 * <p>Why it lives in the gateway's schema: it is what the gateway serves, and no service reads
 * another's schema. The oracle's {@code system_contracts} table is a different registry (the
 * proof-of-reserves signer addresses the oracle ever attested with) and stays the oracle's. The
 * deployment itself is configuration every service shares ({@code rbtc.contracts.*}, the indexer's
 * form), so the gateway registers it at start: a contract configured once stays listed (upserted by
 * chain and address, never deleted), so a redeployment keeps the earlier one visible.
 */
@Component
public class SystemContracts implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(SystemContracts.class);
  private static final Pattern ADDRESS = Pattern.compile("^0x[0-9a-f]{40}$");
  private static final Map<String, String> NAMES =
      Map.of(
          "ORACLE_AGGREGATOR", "OracleAggregator",
          "RBTC_SYNTH", "RBTCSynth",
          "FEE_VAULT", "FeeVault",
          "FEE_POLICY", "FeePolicy",
          "VAULT_WRBTC", "VaultWrBTC",
          "YIELD_POOL", "YieldScalesPool");

  /** One registered deployment of a contract. */
  public record SystemContract(
      long chainId,
      String name,
      String address,
      long startBlock,
      String version,
      Instant firstRegisteredAt,
      Instant lastRegisteredAt) {}

  private final JdbcClient jdbc;
  private final DeploymentProperties deployment;
  private final long chainId;

  SystemContracts(
      JdbcClient jdbc,
      DeploymentProperties deployment,
      @Value("${rbtc.chain.id:31337}") long chainId) {
    this.jdbc = jdbc;
    this.deployment = deployment;
    this.chainId = chainId;
  }

  @Override
  public void run(ApplicationArguments args) {
    List<SystemContract> configured = configured();
    for (SystemContract c : configured) {
      jdbc.sql(
              """
              INSERT INTO system_contracts AS s (chain_id, address, name, start_block, version)
              VALUES (:chain, :address, :name, :start, :version)
              ON CONFLICT (chain_id, address) DO UPDATE SET name = EXCLUDED.name,
                  start_block = EXCLUDED.start_block, version = EXCLUDED.version,
                  last_registered_at = now()
              """)
          .param("chain", c.chainId())
          .param("address", c.address())
          .param("name", c.name())
          .param("start", c.startBlock())
          .param("version", c.version())
          .update();
    }
    log.info("registered {} system contracts of chain {}", configured.size(), chainId);
  }

  /** The configured deployment as registry rows (times unset). */
  List<SystemContract> configured() {
    List<SystemContract> contracts = new ArrayList<>();
    simple("ORACLE_AGGREGATOR", deployment.oracleAggregator(), contracts);
    simple("RBTC_SYNTH", deployment.synth(), contracts);
    simple("FEE_VAULT", deployment.feeVault(), contracts);
    simple("FEE_POLICY", deployment.feePolicy(), contracts);
    simple("VAULT_WRBTC", deployment.wrbtc(), contracts);
    simple("YIELD_POOL", deployment.yieldPool(), contracts);
    for (DeploymentProperties.Deployment d : deployment.deployments()) {
      String version =
          d.version() == null || d.version().isBlank() ? deployment.version() : d.version();
      contracts.add(contract(d.kind(), d.address(), d.startBlock(), version));
    }
    return contracts;
  }

  private void simple(String kind, String address, List<SystemContract> contracts) {
    if (address == null || address.isBlank()) {
      return;
    }
    // the simple form's start block is optional for the gateway (the indexer requires it): 0 then
    contracts.add(
        contract(
            kind,
            address,
            deployment.startBlock() == null ? 0L : deployment.startBlock(),
            deployment.version()));
  }

  private SystemContract contract(String kind, String address, Long startBlock, String version) {
    String name = kind == null ? null : NAMES.get(kind.trim().toUpperCase(Locale.ROOT));
    if (name == null) {
      throw new IllegalStateException(
          "rbtc.contracts: unknown contract kind '" + kind + "'; one of " + NAMES.keySet());
    }
    String lower = address == null ? "" : address.trim().toLowerCase(Locale.ROOT);
    if (!ADDRESS.matcher(lower).matches()) {
      throw new IllegalStateException(
          "rbtc.contracts: the " + name + " address '" + address + "' is not an EVM address");
    }
    if (startBlock == null || startBlock < 0) {
      throw new IllegalStateException(
          "rbtc.contracts: the "
              + name
              + " at "
              + lower
              + " needs a start block (RBTC_CONTRACTS_START_BLOCK)");
    }
    return new SystemContract(chainId, name, lower, startBlock, version, null, null);
  }

  /** Every registered deployment, by chain, start block and name. */
  public List<SystemContract> all() {
    return jdbc.sql("SELECT * FROM system_contracts ORDER BY chain_id, start_block, name, address")
        .query(
            (rs, n) ->
                new SystemContract(
                    rs.getLong("chain_id"),
                    rs.getString("name"),
                    rs.getString("address"),
                    rs.getLong("start_block"),
                    rs.getString("version"),
                    rs.getObject("first_registered_at", OffsetDateTime.class).toInstant(),
                    rs.getObject("last_registered_at", OffsetDateTime.class).toInstant()))
        .list();
  }
}
