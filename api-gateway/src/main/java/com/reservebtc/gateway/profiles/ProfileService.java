package com.reservebtc.gateway.profiles;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The private profile an operator keeps about a user (contact, notes), encrypted at rest ({@link
 * ProfileCipher}) in {@code user_profiles}. Every change is audited in {@code user_audit} in the
 * same transaction, naming the changed fields and the key id, never their values.
 *
 * <p>Key rotation: configure the new key beside the old one and make it current; profiles sealed
 * under the old key stay readable, new writes use the new key, and {@link #reencrypt} moves the old
 * rows to it (then the old key can be removed). A profile whose key is missing or wrong fails with
 * a {@link ProfileKeyException}; it is never shown as empty nor silently overwritten.
 */
@Service
public class ProfileService {

  private static final Logger log = LoggerFactory.getLogger(ProfileService.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ProfileCipher cipher;
  private final JsonMapper json;

  public ProfileService(
      JdbcClient jdbc, TransactionTemplate transactions, ProfileCipher cipher, JsonMapper json) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.cipher = cipher;
    this.json = json;
  }

  /** The fields an operator keeps; null for a field not set. */
  public record Profile(String contact, String notes) {
    Map<String, String> fields() {
      Map<String, String> fields = new TreeMap<>();
      if (contact != null) {
        fields.put("contact", contact);
      }
      if (notes != null) {
        fields.put("notes", notes);
      }
      return fields;
    }
  }

  /** A stored profile, opened, with who wrote it last and under which key it is stored. */
  public record StoredProfile(
      String address, Profile profile, String keyId, Instant updatedAt, String updatedBy) {}

  private record Row(
      String address, ProfileCipher.Sealed sealed, OffsetDateTime updatedAt, String updatedBy) {}

  public Optional<StoredProfile> get(String address) {
    return row(address, false).map(this::open);
  }

  /** Replaces the profile of {@code address}; {@code actor} is who did it. */
  public StoredProfile put(String address, Profile profile, String actor) {
    return transactions.execute(
        status -> {
          Optional<Row> old = row(address, true);
          Profile before = old.map(r -> open(r).profile()).orElse(null);
          ProfileCipher.Sealed sealed = cipher.seal(address, json.writeValueAsBytes(profile));
          OffsetDateTime at =
              jdbc.sql(
                      """
                      INSERT INTO user_profiles AS p (user_address, key_id, nonce, ciphertext,
                          updated_at, updated_by)
                      VALUES (:a, :key, :nonce, :ct, now(), :actor)
                      ON CONFLICT (user_address) DO UPDATE SET key_id = EXCLUDED.key_id,
                          nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext,
                          updated_at = now(), updated_by = EXCLUDED.updated_by
                      RETURNING updated_at
                      """)
                  .param("a", address)
                  .param("key", sealed.keyId())
                  .param("nonce", sealed.nonce())
                  .param("ct", sealed.ciphertext())
                  .param("actor", actor)
                  .query(OffsetDateTime.class)
                  .single();
          audit(
              address,
              actor,
              "profile " + (before == null ? "created" : "updated") + changed(before, profile),
              old.map(r -> summary(r.sealed().keyId(), before)).orElse(null),
              summary(sealed.keyId(), profile));
          return new StoredProfile(address, profile, sealed.keyId(), at.toInstant(), actor);
        });
  }

  /**
   * Moves every profile not sealed under the current key to it, in transactions of {@code
   * batchSize} rows; returns how many moved. Fails on the first profile whose key is missing or
   * wrong (the rows moved before it stay moved; running it again continues).
   */
  public int reencrypt(String actor, int batchSize) {
    if (cipher.currentKeyId().isEmpty()) {
      return 0;
    }
    String current = cipher.currentKeyId().get();
    int moved = 0;
    while (true) {
      Integer done =
          transactions.execute(
              status -> {
                List<Row> stale =
                    jdbc.sql(
                            """
                            SELECT * FROM user_profiles WHERE key_id <> :current
                            ORDER BY user_address LIMIT :limit FOR UPDATE
                            """)
                        .param("current", current)
                        .param("limit", batchSize)
                        .query((rs, n) -> row(rs))
                        .list();
                for (Row row : stale) {
                  byte[] plaintext = cipher.open(row.address(), row.sealed());
                  ProfileCipher.Sealed sealed = cipher.seal(row.address(), plaintext);
                  jdbc.sql(
                          """
                          UPDATE user_profiles SET key_id = :key, nonce = :nonce, ciphertext = :ct
                          WHERE user_address = :a
                          """)
                      .param("a", row.address())
                      .param("key", sealed.keyId())
                      .param("nonce", sealed.nonce())
                      .param("ct", sealed.ciphertext())
                      .update();
                  audit(
                      row.address(),
                      actor,
                      "profile re-encrypted from key '"
                          + row.sealed().keyId()
                          + "' to '"
                          + sealed.keyId()
                          + "'",
                      Map.of("keyId", row.sealed().keyId()),
                      Map.of("keyId", sealed.keyId()));
                }
                return stale.size();
              });
      moved += done;
      if (done < batchSize) {
        break;
      }
    }
    if (moved > 0) {
      log.info("re-encrypted {} user profiles to key '{}'", moved, current);
    }
    return moved;
  }

  /** How many profiles are stored under each key id. */
  public Map<String, Long> countByKey() {
    Map<String, Long> counts = new TreeMap<>();
    jdbc.sql("SELECT key_id, count(*) FROM user_profiles GROUP BY key_id")
        .query(
            rs -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  private Optional<Row> row(String address, boolean forUpdate) {
    return jdbc.sql(
            "SELECT * FROM user_profiles WHERE user_address = :a"
                + (forUpdate ? " FOR UPDATE" : ""))
        .param("a", address)
        .query((rs, n) -> row(rs))
        .optional();
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(
        rs.getString("user_address"),
        new ProfileCipher.Sealed(
            rs.getString("key_id"), rs.getBytes("nonce"), rs.getBytes("ciphertext")),
        rs.getObject("updated_at", OffsetDateTime.class),
        rs.getString("updated_by"));
  }

  private StoredProfile open(Row row) {
    Profile profile = json.readValue(cipher.open(row.address(), row.sealed()), Profile.class);
    return new StoredProfile(
        row.address(), profile, row.sealed().keyId(), row.updatedAt().toInstant(), row.updatedBy());
  }

  private static String changed(Profile before, Profile after) {
    List<String> fields = new ArrayList<>();
    if (before == null || !Objects.equals(before.contact(), after.contact())) {
      fields.add("contact");
    }
    if (before == null || !Objects.equals(before.notes(), after.notes())) {
      fields.add("notes");
    }
    return fields.isEmpty() ? " (nothing changed)" : " (" + String.join(", ", fields) + ")";
  }

  /** What the audit may say about a profile: which fields are set, and the key id. */
  private static Map<String, Object> summary(String keyId, Profile profile) {
    return Map.of(
        "keyId",
        keyId,
        "fields",
        profile == null ? List.of() : List.copyOf(profile.fields().keySet()));
  }

  private void audit(
      String address, String actor, String cause, Map<String, ?> before, Map<String, ?> after) {
    jdbc.sql(
            """
            INSERT INTO user_audit (user_address, record, actor, cause, before, after)
            VALUES (:a, 'profile', :actor, :cause, CAST(:before AS jsonb), CAST(:after AS jsonb))
            """)
        .param("a", address)
        .param("actor", actor)
        .param("cause", cause)
        .param("before", before == null ? null : json.writeValueAsString(before))
        .param("after", after == null ? null : json.writeValueAsString(after))
        .update();
  }
}
