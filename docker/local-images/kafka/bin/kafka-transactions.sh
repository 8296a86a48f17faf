#!/usr/bin/env bash
# As the distribution's bin/kafka-transactions.sh: org.apache.kafka.tools.TransactionsCommand.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.TransactionsCommand "$@"
