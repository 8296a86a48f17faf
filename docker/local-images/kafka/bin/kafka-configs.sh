#!/usr/bin/env bash
# As the distribution's bin/kafka-configs.sh: kafka.admin.ConfigCommand.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.admin.ConfigCommand "$@"
