package com.example.couponservice.coupon.redis;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Tunables of the Redis Cluster store ({@code coupon.redis.*}); where the cluster is
 * comes from {@code spring.data.redis.*} (application-redis.properties).
 *
 * @param minReplicaAcks replicas that must have a change before it is acknowledged: after
 * every state-changing script the store sends {@code WAIT} on the connection that ran it,
 * so a failover (which promotes a replica) cannot lose an acknowledged redemption; 0
 * acknowledges what the master alone has
 * @param waitTimeout how long {@code WAIT} may take; past it the request answers 503 (the
 * change is on the master and may or may not survive its failure, so the caller retries
 * with the same reference)
 * @param keyPrefix put before every key of the store, outside the hash tags; lets several
 * deployments (or tests) share one cluster
 * @param pendingTtl how long the invisible first phase of a bulk generation lives: a
 * batch interrupted between its two phases leaves nothing that outlives this
 * @param writeConnections cluster connections that carry changes and their {@code WAIT},
 * one per change in flight (a pending {@code WAIT} holds back everything else sent on its
 * connection); a change that finds none free within 2 s answers 503
 */
@Validated
@ConfigurationProperties("coupon.redis")
public record RedisCouponProperties(@DefaultValue("1") @Min(0) @Max(16) int minReplicaAcks,
		@DefaultValue("500ms") @NotNull Duration waitTimeout,
		@DefaultValue("coupon:") @NotNull @Pattern(regexp = "[^{}]*") String keyPrefix,
		@DefaultValue("1m") @NotNull Duration pendingTtl, @DefaultValue("16") @Min(1) @Max(256) int writeConnections) {

}
