#!/usr/bin/env bash
# As the distribution's bin/kafka-broker-api-versions.sh: org.apache.kafka.tools.BrokerApiVersionsCommand.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
