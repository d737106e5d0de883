/**
 * Per-provider Resilience4j circuit breakers with PERF-008 trip, recovery and call meters, and
 * ordered failover. Start at {@link io.chimera.perf.breaker.ProviderBreakers}.
 */
package io.chimera.perf.breaker;
