package io.github.obskit.passenger.status;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One application process. Fields that Passenger reports only with {@code has_metrics}, or as
 * {@code -1}, are empty when unknown rather than zero.
 *
 * @param pid the operating system process id
 * @param sessions open sessions
 * @param concurrency how many sessions the process can handle at once ({@code 0} = unlimited)
 * @param busyness busyness as reported by Passenger
 * @param processed requests processed since the process started (restarts with the process)
 * @param spawnStartTime when spawning started
 * @param spawnEndTime when spawning finished
 * @param lastUsed when the process last handled a request
 * @param lifeStatus the process life status, e.g. {@code ALIVE}
 * @param enabled the enabled state, e.g. {@code ENABLED}
 * @param cpuPercent CPU usage in percent, as reported by {@code ps}
 * @param realMemoryBytes real memory (private dirty + swap on Linux) in bytes
 * @param rssBytes resident set size in bytes
 * @param swapBytes swap in bytes
 */
public record ProcessStatus(
    long pid,
    int sessions,
    int concurrency,
    int busyness,
    long processed,
    Optional<Instant> spawnStartTime,
    Optional<Instant> spawnEndTime,
    Optional<Instant> lastUsed,
    String lifeStatus,
    String enabled,
    OptionalDouble cpuPercent,
    OptionalLong realMemoryBytes,
    OptionalLong rssBytes,
    OptionalLong swapBytes) {}
