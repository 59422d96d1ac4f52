package com.reservebtc.gateway.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Thresholds of the operators' health figures ({@code rbtc.gateway.health}); each check is ok below
 * its degraded threshold, degraded below its failed one, failed above.
 *
 * @param chainRpcUrl the EVM node whose head the indexer's last committed block is compared with
 *     (chain {@code rbtc.chain.id}); empty: no comparison, the check is degraded
 * @param headLagDegraded blocks the indexer may be behind the node before it is degraded
 * @param headLagFailed blocks behind at which it is failed
 * @param consumerLagDegraded records a consumer group may be behind (all partitions) before it is
 *     degraded
 * @param consumerLagFailed records behind at which it is failed
 * @param oracleCycleDegraded age of the oracle's last verification or operation at which it is
 *     degraded (while some Bitcoin address is monitored)
 * @param oracleCycleFailed age at which it is failed
 * @param pendingStuckAfter an oracle transaction pending longer than this counts as stuck
 * @param timeout how long one check (database, broker, node) may take before it is failed
 */
@ConfigurationProperties("rbtc.gateway.health")
public record HealthProperties(
    @DefaultValue("http://127.0.0.1:18545") String chainRpcUrl,
    @DefaultValue("10") long headLagDegraded,
    @DefaultValue("120") long headLagFailed,
    @DefaultValue("1000") long consumerLagDegraded,
    @DefaultValue("100000") long consumerLagFailed,
    @DefaultValue("5m") Duration oracleCycleDegraded,
    @DefaultValue("30m") Duration oracleCycleFailed,
    @DefaultValue("5m") Duration pendingStuckAfter,
    @DefaultValue("3s") Duration timeout) {}
