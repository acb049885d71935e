#!/usr/bin/env bash
# Runs the parser benchmarks: first MB per CPU-second of one thread (robust on a shared machine),
# then JMH with the GC profiler. Extra arguments go to JMH, e.g. -f 2 -wi 5.
# Usage (from anywhere): passenger-metrics-lib/src/jmh/run-parser-benchmark.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
./mvnw -B -q -P benchmark -pl passenger-metrics-lib test-compile
./mvnw -B -q -P benchmark -pl passenger-metrics-lib dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath
module="$root/passenger-metrics-lib"
classpath="$module/target/test-classes:$module/target/classes:$(cat "$module/target/benchmark.classpath")"
echo "JVM: $(java -version 2>&1 | head -1); CPUs: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -cp "$classpath" io.github.obskit.passenger.status.ParserCpuBenchmark
exec java -cp "$classpath" org.openjdk.jmh.Main PassengerStatusParserBenchmark -prof gc "$@"
