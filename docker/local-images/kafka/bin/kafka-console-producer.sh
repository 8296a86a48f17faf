#!/usr/bin/env bash
# As the distribution's bin/kafka-console-producer.sh: org.apache.kafka.tools.ConsoleProducer.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.ConsoleProducer "$@"
