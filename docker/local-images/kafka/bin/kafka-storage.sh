#!/usr/bin/env bash
# As the distribution's bin/kafka-storage.sh: kafka.tools.StorageTool.
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
