#!/usr/bin/env bash
# Runs one class of the Kafka distribution as its bin/kafka-run-class.sh does: every jar of libs/ on the class path,
# and the same variables: JAVA_HOME, KAFKA_HEAP_OPTS (default -Xmx256M), KAFKA_JVM_PERFORMANCE_OPTS,
# KAFKA_GC_LOG_OPTS, KAFKA_JMX_OPTS, KAFKA_LOG4J_OPTS (default: config/tools-log4j2.yaml), KAFKA_OPTS, LOG_DIR.
# Part of convo's local stand-in of apache/kafka, whose jars come from Maven Central instead of the release tarball.
# Options before the class: -name NAME (names the GC log) and -loggc (writes it); -daemon is not supported.
set -eu

base_dir="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: $0 [-name servicename] [-loggc] classname [opts]" >&2
  exit 1
fi

name=""
gc_log=false
while [ $# -gt 0 ]; do
  case "$1" in
    -name) name="$2"; shift 2 ;;
    -loggc) gc_log=true; shift ;;
    -daemon) echo "$0: -daemon is not supported in this image" >&2; exit 1 ;;
    *) break ;;
  esac
done

LOG_DIR="${LOG_DIR:-$base_dir/logs}"
mkdir -p "$LOG_DIR"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx256M}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
KAFKA_JMX_OPTS="${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false}"
KAFKA_LOG4J_OPTS="-Dkafka.logs.dir=$LOG_DIR ${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base_dir/config/tools-log4j2.yaml}"
KAFKA_GC_LOG_OPTS="${KAFKA_GC_LOG_OPTS-}"
if [ "$gc_log" = true ] && [ -n "$name" ] && [ -z "$KAFKA_GC_LOG_OPTS" ]; then
  KAFKA_GC_LOG_OPTS="-Xlog:gc*:file=$LOG_DIR/$name-gc.log:time,tags:filecount=10,filesize=100M"
fi
java="java"
if [ -n "${JAVA_HOME-}" ]; then
  java="$JAVA_HOME/bin/java"
fi

# shellcheck disable=SC2086  # the *_OPTS are lists of options, split on purpose
exec "$java" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS $KAFKA_GC_LOG_OPTS $KAFKA_JMX_OPTS $KAFKA_LOG4J_OPTS \
  -cp "$base_dir/libs/*" ${KAFKA_OPTS-} "$@"
