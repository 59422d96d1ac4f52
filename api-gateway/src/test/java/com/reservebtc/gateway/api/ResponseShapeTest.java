package com.reservebtc.gateway.api;

import static com.reservebtc.gateway.ContractShapes.assertMatches;
import static com.reservebtc.gateway.ContractShapes.toTree;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The response records serialize to the captured frontend contract, names and JSON types. */
class ResponseShapeTest {

  private static final String USER = "0xf45d5feefd7235d9872079d537f5796ba79b1e52";
  private static final String NOW = "2025-09-23T09:28:16.343Z";

  static TransactionRow syncedMint() {
    return new TransactionRow(
        6342,
        "0x4235601c63b4c4d4dd6a57c40f7bff010c70c204d9fa182406c3ea33b77f9a87",
        3,
        17425398,
        "0x" + "ab".repeat(32),
        Instant.parse("2025-09-23T05:47:51Z"),
        "0x" + "11".repeat(20),
        "Synced",
        "RBTC_SYNTH",
        USER,
        null,
        TxType.MINT,
        BigInteger.valueOf(147145),
        BigInteger.valueOf(147145),
        new BigInteger("1400000000000000"),
        147145L,
        "tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7",
        TxFinality.CONFIRMED,
        false,
        true,
        null,
        null,
        null);
  }

  @Test
  void transactionEntryMatchesTheContract() {
    JsonNode json = toTree(List.of(TransactionJson.of(syncedMint(), USER)));
    assertMatches("/api/realtime/transactions", json, Set.of("[].gas_price"), Set.of());
    JsonNode entry = json.get(0);
    assertThat(entry.get("block_number").isNumber()).isTrue();
    assertThat(entry.get("amount").asString()).isEqualTo("147145");
    assertThat(entry.get("fee_wei").asString()).isEqualTo("1400000000000000");
    assertThat(entry.get("block_timestamp").asString()).isEqualTo("2025-09-23T05:47:51.000");
    assertThat(entry.get("status").asString()).isEqualTo("confirmed");
    assertThat(entry.get("tx_type").asString()).isEqualTo("MINT");
    assertThat(entry.get("metadata").get("finality").asString()).isEqualTo("CONFIRMED");
    assertThat(entry.get("metadata").get("log_index").asInt()).isEqualTo(3);
    assertThat(entry.get("metadata").has("reason")).isFalse();
  }

  @Test
  void aReceivedTransferShowsTheRecipientAndAPositiveDelta() {
    String recipient = "0x" + "22".repeat(20);
    TransactionRow transfer =
        new TransactionRow(
            6342,
            "0x" + "cd".repeat(32),
            0,
            10,
            "0x" + "ab".repeat(32),
            Instant.EPOCH,
            "0x" + "33".repeat(20),
            "Transfer",
            "WRBTC",
            USER,
            recipient,
            TxType.WRBTC_TRANSFER,
            BigInteger.TEN,
            BigInteger.TEN.negate(),
            BigInteger.ZERO,
            null,
            null,
            TxFinality.PENDING,
            false,
            true,
            null,
            null,
            null);
    TransactionJson sent = TransactionJson.of(transfer, USER);
    TransactionJson received = TransactionJson.of(transfer, recipient);
    assertThat(sent.delta()).isEqualTo("-10");
    assertThat(sent.metadata().counterparty()).isEqualTo(recipient);
    assertThat(received.userAddress()).isEqualTo(recipient);
    assertThat(received.delta()).isEqualTo("10");
    assertThat(received.metadata().counterparty()).isEqualTo(USER);
    assertThat(received.status()).isEqualTo("pending");
  }

  @Test
  void balancesMatchTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.Balances(
                USER, 147145, "0", "147145", 147145, "2025-09-23T05:47:51.000", 17425398L, "0"));
    assertMatches("/api/realtime/balances", json, Set.of(), Set.of("feeVaultWei"));
  }

  @Test
  void balancesOfANeverSyncedAddressKeepTheirTypes() {
    JsonNode json = toTree(new ResponsesJson.Balances(USER, 0, "0", "0", 0, null, null, "0"));
    assertMatches(
        "/api/realtime/balances", json, Set.of("lastUpdate", "blockNumber"), Set.of("feeVaultWei"));
  }

  @Test
  void syncStatusMatchesTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.SyncStatus(
                true,
                "2025-09-23T05:47:51.000",
                1200L,
                true,
                "recent",
                true,
                new OracleOperationJson("op-1", "CONFIRMED", NOW, "0x" + "ab".repeat(32), null),
                NOW,
                840_000L,
                147_145L));
    assertMatches(
        "/api/realtime/sync-status",
        json,
        Set.of(),
        Set.of("lastOperation", "lastVerified", "verifiedBitcoinHeight", "verifiedSats"));
    assertThat(json.get("isRecent").isBoolean()).isTrue();
  }

  @Test
  void bitcoinAddressesMatchTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.BitcoinAddresses(
                USER,
                List.of(
                    new BitcoinAddressJson(
                        1,
                        USER,
                        "tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7",
                        "testnet",
                        "2025-09-12T15:12:06.585",
                        null,
                        false,
                        "2025-09-12T15:12:06.585")),
                1,
                NOW));
    assertMatches("/api/realtime/bitcoin-addresses", json, Set.of(), Set.of());
  }

  @Test
  void emergencyBurnsMatchTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.EmergencyBurns(
                true,
                new ResponsesJson.EmergencyBurnsData(
                    List.of(),
                    List.of(),
                    0,
                    false,
                    true,
                    new AlertJson(
                        "AT_RISK",
                        "Deposit ETH into the fee vault.",
                        147145L,
                        "0",
                        "1000000000000000",
                        "6342:0x" + "ab".repeat(32) + ":1",
                        NOW,
                        null),
                    List.of()),
                NOW));
    assertMatches(
        "/api/realtime/emergency-burns",
        json,
        Set.of(),
        Set.of("data.atRisk", "data.riskAlert", "data.recentAlerts"));
    assertThat(json.get("data").get("atRisk").asBoolean()).isTrue();
    assertThat(json.get("data").get("riskAlert").get("feeVaultBalanceWei").isString()).isTrue();
  }

  @Test
  void yieldStatusMatchesTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.YieldStatus(
                false,
                true,
                null,
                147145,
                new ResponsesJson.YieldSystemStats(0, 0, 0, 0, 0, 0),
                "0xbabfc9b230e34c1726bab00c99032f9e84c1c3fb",
                NOW));
    assertMatches("/api/realtime/yield-status", json, Set.of(), Set.of());
  }

  @Test
  void aParticipantKeepsTheYieldStatusShapeWithTypedParticipantData() {
    Instant joined = Instant.parse("2025-01-01T00:00:00Z");
    JsonNode json =
        toTree(
            new ResponsesJson.YieldStatus(
                true,
                true,
                LoyaltyTiers.participant(
                    0,
                    true,
                    true,
                    147145,
                    "12345678901234567890",
                    joined,
                    Instant.parse("2025-09-23T05:47:51Z"),
                    null,
                    Instant.parse("2025-09-23T09:28:16Z")),
                147145,
                new ResponsesJson.YieldSystemStats(1, 1, 0, 0, 1, 0),
                null,
                NOW));
    assertMatches("/api/realtime/yield-status", json, Set.of("yieldScalesContract"), Set.of());
    JsonNode data = json.get("participantData");
    assertThat(data.get("participantTypeName").asString()).isEqualTo("BITCOIN_HOLDER");
    assertThat(data.get("tier").asString()).isEqualTo("SILVER");
    assertThat(data.get("multiplierPercent").asInt()).isEqualTo(125);
    assertThat(data.get("contributionSats").isIntegralNumber()).isTrue();
    assertThat(data.get("accruedYield").asString()).isEqualTo("12345678901234567890");
    assertThat(data.get("joinedAt").asString()).isEqualTo("2025-01-01T00:00:00.000");
  }

  @Test
  void aDisputeEntryUsesTheRowNamingOfTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.Disputes(
                true,
                new ResponsesJson.DisputesData(
                    List.of(
                        new DisputeJson(
                            "0x" + "cd".repeat(32),
                            17425398,
                            "2025-09-23T05:47:51.000",
                            2,
                            6342,
                            USER,
                            "150000",
                            "147145",
                            "open",
                            "CONFIRMED")),
                    true,
                    1,
                    3),
                NOW));
    assertMatches("/api/realtime/disputes", json, Set.of(), Set.of("data.totalSystemDisputes"));
    JsonNode dispute = json.get("data").get("userDisputes").get(0);
    assertThat(dispute.get("reported_balance").asString()).isEqualTo("150000");
    assertThat(dispute.get("block_number").isIntegralNumber()).isTrue();
    assertThat(dispute.get("status").asString()).isEqualTo("open");
  }

  @Test
  void disputesMatchTheContract() {
    JsonNode json =
        toTree(
            new ResponsesJson.Disputes(
                true, new ResponsesJson.DisputesData(List.of(), false, 0, 0), NOW));
    assertMatches("/api/realtime/disputes", json, Set.of(), Set.of("data.totalSystemDisputes"));
  }

  @Test
  void proofOfReservesMatchesTheContract() {
    JsonNode withoutProof =
        toTree(
            new ResponsesJson.ProofOfReserves(
                true,
                new ResponsesJson.ProofOfReservesData(
                    null, new ResponsesJson.ReserveTotals(533257, null, null)),
                NOW));
    assertMatches(
        "/api/realtime/proof-of-reserves",
        withoutProof,
        Set.of("data.currentTotals.totalSats", "data.currentTotals.backingRatio"),
        Set.of());
    JsonNode withProof =
        toTree(
            new ResponsesJson.ProofOfReserves(
                true,
                new ResponsesJson.ProofOfReservesData(
                    new ResponsesJson.ReserveProof(
                        900, "00ab", "ff01", 3, 533257, "533257", "100.00", NOW),
                    new ResponsesJson.ReserveTotals(533257, 533257L, "100.00")),
                NOW));
    assertMatches("/api/realtime/proof-of-reserves", withProof, Set.of(), Set.of());
  }
}
