#!/usr/bin/env bash
# As the distribution's bin/kafka-get-offsets.sh: org.apache.kafka.tools.GetOffsetShell.
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.tools.GetOffsetShell "$@"
